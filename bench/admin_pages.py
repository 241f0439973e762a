"""Time the executive review pages on a large data set, rendered by Django's test client.

    .venv/bin/python bench/admin_pages.py            # 50 departments, 20,000 tasks, median of 20
    .venv/bin/python bench/admin_pages.py --quick    # 10 departments, 2,000 tasks, median of 5

The data (bulk-created, reused on the next run) lives in bench/data/ unless BENCH_DATABASE_URL
names another database (e.g. an empty PostgreSQL one: the run replaces any roadmap data there).
Prints each page's median time and query count; goal: under 300 ms for the dashboard and the
grid. The last line reads `max_median_ms <n>` (the slower of those two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import warnings
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(quick: bool) -> None:
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    name = "admin_pages-quick" if quick else "admin_pages"
    # A database of its own: the data set replaces any roadmap data it finds there.
    default = f"sqlite:///{ROOT / 'bench' / 'data' / name}.sqlite3"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings_test")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as in production (and as Django's test runner does)
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep one connection across requests (as CONN_MAX_AGE does), so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def build(*, departments: int, tasks: int) -> None:
    """Bulk-create departments, initiatives, tasks with hand-offs, and 8 quarters of snapshots."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accountability.models import Scorecard, ScorecardLine
    from core.periods import Period
    from customers.models import CustomerMovement, CustomerSegment, LossReason
    from org.models import Department
    from org.roles import EXECUTIVES
    from review.selectors.dashboard import periods_ending_at
    from roadmap.models import Initiative, Roadmap, Task

    if Task.objects.count() == tasks and Department.objects.count() == departments:
        return
    for model in (ScorecardLine, Scorecard, CustomerMovement, Task, Initiative, Roadmap, Department):
        model.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench-").delete()
    rng, now = random.Random(7), timezone.now()
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bench-user-{i}", is_staff=True) for i in range(departments * 4))
    executive = User.objects.create(username="bench-exec", is_staff=True)
    executive.groups.add(Group.objects.get(name=EXECUTIVES))
    depts = Department.objects.bulk_create(
        Department(name=f"Department {i:02d}", slug=f"department-{i:02d}", head=users[i]) for i in range(departments)
    )
    owner = User.objects.create(username="bench-cco", is_staff=True)
    today = timezone.localdate()
    roadmap = Roadmap.objects.create(
        name="Bench roadmap",
        period_start=dt.date(today.year - 1, 1, 1),
        period_end=dt.date(today.year + 1, 12, 31),
        status=Roadmap.Status.ACTIVE,
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            roadmap=roadmap,
            title=f"Initiative {i:02d}",
            outcome="Happier customers",
            owner=owner,
            start_date=roadmap.period_start,
            end_date=roadmap.period_end,
            health=rng.choice(["green", "green", "amber", "red"]),
        )
        for i in range(40)
    )
    statuses = ["not_started", "in_progress", "blocked", "done", "cancelled"]
    rows = []
    for i in range(tasks):
        status = rng.choice(statuses)
        rows.append(
            Task(
                initiative=rng.choice(initiatives),
                department=rng.choice(depts),
                title=f"Task {i}",
                owner=rng.choice(users),
                due_date=today + dt.timedelta(days=rng.randint(-200, 200)),
                status=status,
                status_changed_at=now,
                completed_at=now if status == "done" else None,
            )
        )
    created = Task.objects.bulk_create(rows, batch_size=2000)
    Through = Task.depends_on.through
    Through.objects.bulk_create(
        (Through(from_task_id=created[i].pk, to_task_id=created[i - 1].pk) for i in range(1, len(created), 10)),
        batch_size=2000,
    )
    segment = CustomerSegment.objects.get_or_create(slug="core", defaults={"name": "Core"})[0]
    reasons = [
        LossReason.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("price", "service", "product")
    ]
    start = Period.containing(today).start
    CustomerMovement.objects.bulk_create(
        CustomerMovement(
            date=start + dt.timedelta(days=rng.randint(0, 60)),
            kind="lost",
            segment=segment,
            department=rng.choice(depts),
            count=rng.randint(1, 5),
            loss_reason=rng.choice(reasons),
        )
        for _ in range(2000)
    )
    cards = []
    for period in periods_ending_at(period=Period.containing(today)):
        cards.append(
            Scorecard(
                period_kind=period.kind,
                period_start=period.start,
                scope="company",
                computed_at=now,
                overall_score=Decimal(rng.randint(30, 95)),
                overall_colour="amber",
            )
        )
        for d in depts:
            score = rng.randint(10, 100)
            colour = "green" if score >= 80 else "amber" if score >= 50 else "red"
            cards.append(
                Scorecard(
                    period_kind=period.kind,
                    period_start=period.start,
                    scope="department",
                    department=d,
                    computed_at=now,
                    overall_score=Decimal(score),
                    overall_colour=colour,
                    change=Decimal(rng.randint(-20, 20)),
                    tasks_due=40,
                    tasks_on_time=30,
                )
            )
    cards = Scorecard.objects.bulk_create(cards)
    ScorecardLine.objects.bulk_create(
        ScorecardLine(
            scorecard=c,
            position=p,
            part="delivery",
            label=f"Part {p}",
            score=Decimal(60),
            explanation="30 of 40 on time",
            inputs={"due": 40, "on_time": 30},
        )
        for c in cards
        for p in range(6)
    )


def measure(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    count = len(queries)  # now: later requests reset the connection's query log
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 departments, 2,000 tasks, median of 5")
    args = parser.parse_args()
    setup(args.quick)
    departments, tasks, runs = (10, 2000, 5) if args.quick else (50, 20000, 20)
    began = time.perf_counter()
    build(departments=departments, tasks=tasks)
    print(
        f"data: {departments} departments, {tasks} tasks, 8 quarters of snapshots ({time.perf_counter() - began:.1f} s)"
    )

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from roadmap.models import Initiative

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-exec"))
    pages = {
        "dashboard": reverse("admin:review_dashboard"),
        "roadmap grid": reverse("admin:review_roadmap"),
    }
    extra = {
        "department": reverse("admin:review_department", args=["department-00"]),
        "timeline": reverse("admin:review_timeline", args=[Initiative.objects.order_by("pk").first().pk]),
    }
    medians = []
    for name, url in {**pages, **extra}.items():
        median, queries = measure(client, url, runs)
        if name in pages:
            medians.append(median)
        print(f"{name:>12}: median {median:7.1f} ms over {runs} runs, {queries} queries")
    print(f"max_median_ms {max(medians):.0f}")


if __name__ == "__main__":
    main()
