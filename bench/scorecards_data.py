"""A deterministic, large data set for the scorecard benchmark, written with bulk_create.

Everything happens in 2026 (the benchmark recomputes 2026-Q2), plus a starting customer count
per department on 31 December 2025. Bulk inserts skip history rows, which the benchmark does
not need.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading, Target
from org.models import Department
from roadmap.models import CheckIn, Initiative, Roadmap, Task

FULL = {"departments": 50, "owners": 250, "tasks": 20_000, "readings": 500_000, "movements": 100_000}  # 20x


def size_at(scale: int) -> dict:
    """The data set at `--scale N`, in demo_data's proportions: FULL is --scale 20."""
    return {
        "departments": min(50, max(6, round(2.5 * scale))),
        "owners": max(10, round(12.5 * scale)),
        "tasks": 1_000 * scale,
        "readings": 25_000 * scale,
        "movements": 5_000 * scale,
    }


YEAR = dt.date(2026, 1, 1)
BATCH = 5_000
STATUSES = [
    (Task.Status.DONE, 55),
    (Task.Status.IN_PROGRESS, 20),
    (Task.Status.NOT_STARTED, 15),
    (Task.Status.BLOCKED, 5),
    (Task.Status.CANCELLED, 5),
]


def data_present(size: dict) -> bool:
    return (
        Department.objects.count() == size["departments"]
        and Task.objects.count() == size["tasks"]
        and Reading.objects.count() == size["readings"]
        and CustomerMovement.objects.count() == size["movements"]
    )


def day_in_2026(rng: random.Random) -> dt.date:
    return YEAR + dt.timedelta(days=rng.randrange(365))


@transaction.atomic
def build(size: dict, seed: int = 42) -> None:
    rng = random.Random(seed)
    User = get_user_model()
    unusable = make_password(None)  # nobody logs in as a benchmark user
    boss = User.objects.create(username="bench-cco", password=unusable)
    departments = Department.objects.bulk_create(
        Department(name=f"Department {i:02d}", slug=f"department-{i:02d}") for i in range(size["departments"])
    )
    owners = User.objects.bulk_create(
        User(username=f"bench-owner-{i:03d}", password=unusable) for i in range(size["owners"])
    )
    roadmap = Roadmap.objects.create(name="Bench", period_start=dt.date(2025, 1, 1), period_end=dt.date(2027, 12, 31))
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            roadmap=roadmap,
            title=f"Initiative {i}",
            outcome="Happier customers",
            owner=boss,
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2027, 12, 31),
        )
        for i in range(20)
    )
    metrics = _metrics()
    _targets(rng, metrics, departments)
    _tasks(rng, size, departments, owners, initiatives)
    _readings(rng, size, metrics, departments)
    _movements(rng, size, departments)


def _metrics() -> list[Metric]:
    aggregations = [Metric.Aggregation.SUM, Metric.Aggregation.AVERAGE, Metric.Aggregation.LAST]
    specs = [("customers", Metric.Level.DEPARTMENT, Metric.Aggregation.LAST, Metric.Direction.HIGHER)]
    for i in range(15):
        direction = Metric.Direction.LOWER if i % 2 else Metric.Direction.HIGHER
        specs.append((f"department-metric-{i:02d}", Metric.Level.DEPARTMENT, aggregations[i % 3], direction))
    for i in range(4):
        specs.append((f"company-metric-{i}", Metric.Level.COMPANY, aggregations[i % 3], Metric.Direction.HIGHER))
    return Metric.objects.bulk_create(
        Metric(code=code, name=code.replace("-", " ").capitalize(), level=level, aggregation=agg, direction=direction)
        for code, level, agg, direction in specs
    )


def _targets(rng: random.Random, metrics: list[Metric], departments: list[Department]) -> None:
    targets = []
    for quarter in range(4):
        start = dt.date(2026, 1 + 3 * quarter, 1)
        for metric in metrics[1:]:
            higher = metric.direction == Metric.Direction.HIGHER
            scale = Decimal(2000) if metric.aggregation == Metric.Aggregation.SUM else Decimal(1)
            t, a = (Decimal(80), Decimal(60)) if higher else (Decimal(30), Decimal(50))
            targets.append(Target(metric=metric, period_start=start, target_value=t * scale, amber_threshold=a * scale))
            if metric.level == Metric.Level.DEPARTMENT:
                for department in departments[::2]:
                    shift = Decimal(rng.randrange(-5, 6)) * scale
                    targets.append(
                        Target(
                            metric=metric,
                            department=department,
                            period_start=start,
                            target_value=t * scale + shift,
                            amber_threshold=a * scale + shift,
                        )
                    )
    Target.objects.bulk_create(targets, batch_size=BATCH)


def _tasks(rng, size, departments, owners, initiatives) -> None:
    zone = ZoneInfo(settings.TIME_ZONE)
    statuses, weights = zip(*STATUSES, strict=True)
    tasks = []
    for i in range(size["tasks"]):
        due = day_in_2026(rng)
        status = rng.choices(statuses, weights)[0]
        done_on = due + dt.timedelta(days=rng.randrange(-20, 10))
        completed = dt.datetime.combine(done_on, dt.time(rng.randrange(24), rng.randrange(60)), tzinfo=zone)
        changed = dt.datetime.combine(due - dt.timedelta(days=rng.randrange(60)), dt.time(9), tzinfo=zone)
        department = departments[i % len(departments)]
        tasks.append(
            Task(
                initiative=rng.choice(initiatives),
                department=department,
                title=f"Task {i}",
                owner=owners[(i * 7) % len(owners)] if i % 20 else None,
                due_date=due,
                status=status,
                completed_at=completed if status == Task.Status.DONE else None,
                status_changed_at=changed,
                allow_outside_initiative_dates=True,
            )
        )
    tasks = Task.objects.bulk_create(tasks, batch_size=BATCH)
    check_ins = [
        CheckIn(task=task, date=task.due_date - dt.timedelta(days=rng.randrange(40)), percent_complete=50)
        for task in tasks
        if task.status in (Task.Status.IN_PROGRESS, Task.Status.BLOCKED)
        for _ in range(rng.randrange(3))
    ]
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)


def _readings(rng, size, metrics, departments) -> None:
    customers, others = metrics[0], metrics[1:]
    start = [Reading(metric=customers, department=d, date=dt.date(2025, 12, 31), value=1000) for d in departments]
    Reading.objects.bulk_create(start)
    batch = []
    for _ in range(size["readings"] - len(start)):
        metric = rng.choice(others) if rng.random() < 0.95 else customers
        department = None if metric.level == Metric.Level.COMPANY else rng.choice(departments)
        value = Decimal(rng.randrange(10_000)) / 100 if metric is not customers else Decimal(rng.randrange(900, 1100))
        batch.append(Reading(metric=metric, department=department, date=day_in_2026(rng), value=value, source="bench"))
        if len(batch) == BATCH:
            Reading.objects.bulk_create(batch)
            batch = []
    Reading.objects.bulk_create(batch)


def _movements(rng, size, departments) -> None:
    segments = CustomerSegment.objects.bulk_create(
        CustomerSegment(name=name, slug=name.lower(), rank=rank)
        for rank, name in enumerate(["Strategic", "Growth", "Core", "Unprofitable"])
    )
    reasons = LossReason.objects.bulk_create(
        LossReason(name=name, slug=name.lower().replace(" ", "-"))
        for name in [
            "Price",
            "Service failure",
            "Product gap",
            "Billing error",
            "Moved to competitor",
            "No longer needs",
            "Merger",
            "Other",
        ]
    )
    batch = []
    for _ in range(size["movements"]):
        lost = rng.random() < 0.55
        batch.append(
            CustomerMovement(
                date=day_in_2026(rng),
                kind="lost" if lost else "gained",
                segment=rng.choice(segments),
                department=rng.choice(departments) if rng.random() < 0.9 else None,
                count=rng.randrange(1, 6),
                revenue=Decimal(rng.randrange(1000, 50_000)),
                profit=Decimal(rng.randrange(100, 9000)),
                loss_reason=rng.choice(reasons) if lost else None,
                source="bench",
            )
        )
        if len(batch) == BATCH:
            CustomerMovement.objects.bulk_create(batch)
            batch = []
    CustomerMovement.objects.bulk_create(batch)
