"""Bulk generator of a large data set for benchmarks: departments, people, initiatives, tasks.

    DATABASE_URL=sqlite:///var/bench.sqlite3 python bench/data.py --departments 50 --tasks 20000

Idempotent enough for benchmarks: it does nothing when the database already holds at least
that many tasks. Rows are written with bulk_create (no services): this is test data, fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings")


def build(*, departments: int, tasks: int, seed: int = 7) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from org.models import Department
    from roadmap.models import Initiative, Roadmap, Task

    if Task.objects.count() >= tasks:
        print(f"data: {Task.objects.count()} tasks already there")
        return
    rng, now, User = random.Random(seed), timezone.now(), get_user_model()
    password = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"bench{i}", email=f"bench{i}@example.com", password=password)
                for i in range(departments * 5)
            ]
        )
        depts = Department.objects.bulk_create(
            [Department(name=f"Bench {i}", slug=f"bench-{i}", head=users[i * 5]) for i in range(departments)]
        )
        Department.members.through.objects.bulk_create(
            [
                Department.members.through(department=d, user=users[i * 5 + k])
                for i, d in enumerate(depts)
                for k in range(1, 5)
            ]
        )
        roadmap = Roadmap.objects.create(
            name="Bench roadmap", period_start=dt.date(2026, 1, 1), period_end=dt.date(2027, 12, 31)
        )
        initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    roadmap=roadmap,
                    title=f"Initiative {i}",
                    outcome="Happier customers.",
                    owner=users[0],
                    start_date=dt.date(2026, 1, 1),
                    end_date=dt.date(2027, 12, 31),
                )
                for i in range(departments)
            ]
        )
        statuses = [s for s in Task.Status.values if s != Task.Status.DONE]
        rows = []
        for n in range(tasks):
            d = n % departments
            rows.append(
                Task(
                    initiative=initiatives[rng.randrange(departments)],
                    department=depts[d],
                    title=f"Task {n} for customers",
                    description="Generated for the benchmark.",
                    owner=users[d * 5 + rng.randrange(1, 5)],
                    due_date=dt.date(2026, 1, 1) + dt.timedelta(rng.randrange(700)),
                    status=rng.choice(statuses),
                    status_changed_at=now,
                    percent_complete=rng.randrange(100),
                )
            )
        created = Task.objects.bulk_create(rows, batch_size=2000)
        links = [
            Task.depends_on.through(from_task_id=t.pk, to_task_id=created[i - 1 - rng.randrange(min(i, 50))].pk)
            for i, t in enumerate(created)
            if i and rng.random() < 0.3
        ]
        Task.depends_on.through.objects.bulk_create(links, batch_size=5000)
    print(f"data: {departments} departments, {len(users)} people, {tasks} tasks, {len(links)} dependencies")


def bench_token() -> None:
    """Print a token of a CCO staff user and the first bench department's id, for load tools."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from org.api_keys import api_key_create
    from org.models import Department

    user, _ = get_user_model().objects.get_or_create(username="bench-cco")
    user.groups.add(Group.objects.get(name="CCO staff"))
    department = Department.objects.select_related("head").get(slug="bench-0")
    department.head.groups.add(Group.objects.get(name="Department heads"))
    cco_token = api_key_create(user=user, name="bench")[1]
    head_token = api_key_create(user=department.head, name="bench")[1]
    print("TOKEN", cco_token, head_token, department.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scale", type=int, help="demo_data's proportions: N thousand tasks, 2.5·N departments (6 to 50)"
    )
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--migrate", action="store_true", help="run migrations first")
    parser.add_argument(
        "--token", action="store_true", help="print a CCO staff token, its head's token and a department id"
    )
    args = parser.parse_args()
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    if args.scale:
        args.departments, args.tasks = max(6, min(50, round(2.5 * args.scale))), 1000 * args.scale
    build(departments=args.departments, tasks=args.tasks)
    if args.token:
        bench_token()


if __name__ == "__main__":
    main()
