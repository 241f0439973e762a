"""Builds the demo organisation, part by part.

Idempotence: the reference data (departments, people and roles, segments, loss reasons,
metrics, scorecard settings) is upserted on natural keys (slug, username, code). Each
generated part is built only into an empty table and skipped otherwise: the plan when there is
no roadmap yet, targets when there is no target, movements and readings likewise. Each part is
one transaction, so an interrupted run leaves nothing half-built and the next run finishes it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from customers.models import CustomerMovement, Reading, Target
from demo import catalogue
from demo.customers import MONTHS, Movement, customer_history
from demo.metrics import company_readings, department_readings, department_series, spread, targets
from demo.people import People, customer_vocabulary_ensure, people_ensure
from demo.plan import fiscal_years
from demo.plan_write import plan_build
from demo.proposals import proposals_build
from demo.writing import Bar, Progress, bulk_insert
from org.stale import scorecard_request_recompute
from roadmap.models import Roadmap

DEFAULT_SEED = 2027
# Customers and retention in total, customers, revenue and cost by segment (the ledger metrics have none).
COMPANY_READINGS = (2 + 3 * len(catalogue.SEGMENTS)) * MONTHS  # see metrics.company_readings


@dataclass(frozen=True)
class Sizes:
    """How big a demo to build; `readings=None` means one reading a month for every series."""

    departments: int = 6
    tasks: int = 300
    movements: int = 400
    readings: int | None = None

    @property
    def initiatives(self) -> int:
        return max(20, self.tasks // 15)

    @classmethod
    def scaled(cls, scale: int) -> Sizes:
        """`scale` thousand tasks, with departments, readings and movements in proportion:
        scale 20 is 50 departments, 20,000 tasks, 500,000 readings and 100,000 movements."""
        return cls(
            departments=max(6, min(50, round(2.5 * scale))),
            tasks=1000 * scale,
            movements=5000 * scale,
            readings=25_000 * scale,
        )


@dataclass
class DemoResult:
    people: People
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


class _NoBar:
    def update(self, n: int = 1) -> None:
        return None

    def close(self) -> None:
        return None


def no_progress(total: int, description: str) -> Bar:
    return _NoBar()


def _write(model: type[Model], rows: Iterable[dict], *, bar: Bar) -> None:
    bulk_insert(model, (model(**row) for row in rows), bar=bar)
    bar.close()


def _movement_row(line: Movement, segments, reasons, departments, entered_by) -> dict:
    return {
        "date": line.date,
        "kind": line.kind,
        "segment_id": segments[line.segment].pk,
        "department_id": departments.get(line.department),
        "count": line.count,
        "revenue": Decimal(f"{line.revenue:.2f}"),
        "profit": Decimal(f"{line.profit:.2f}"),
        "loss_reason_id": reasons[line.reason].pk if line.reason else None,
        "source": "crm",
        "entered_by_id": entered_by.pk,
    }


def demo_build(*, sizes: Sizes, bulk: bool, seed: int = DEFAULT_SEED, progress: Progress = no_progress) -> DemoResult:
    """Build (or complete) the demo organisation; see the module docstring for idempotence."""
    today = timezone.localdate()
    with transaction.atomic():
        people = people_ensure(departments=sizes.departments)
        segments, reasons, metrics = customer_vocabulary_ensure()
    result = DemoResult(people=people, created={"departments": len(people.departments)})
    if Roadmap.objects.exists():
        result.skipped.append("roadmaps, initiatives, tasks and check-ins (a roadmap exists)")
    else:
        with transaction.atomic():
            counts = plan_build(
                rng=random.Random(f"{seed}-plan"),
                today=today,
                people=people,
                metrics=metrics,
                initiatives=sizes.initiatives,
                tasks=sizes.tasks,
                bulk=bulk,
                progress=progress,
            )
        result.created.update(counts)
    _customer_parts(
        result, today=today, seed=seed, sizes=sizes, vocabulary=(segments, reasons, metrics), progress=progress
    )
    result.created.update(proposals_build(people=people, today=today))
    if result.created.keys() - {"departments"}:
        # Bulk writes bypass the services, so ask once for every scorecard the new rows touch.
        scorecard_request_recompute(department_ids=[None, *(d.pk for d in result.people.departments)])
    return result


def _customer_parts(result: DemoResult, *, today, seed, sizes, vocabulary, progress: Progress) -> None:
    """Targets, movements and readings, each built into an empty table only."""
    segments, reasons, metrics = vocabulary
    people = result.people
    lines, months = customer_history(
        rng=random.Random(f"{seed}-customers"), today=today, departments=people.departments, movements=sizes.movements
    )
    series = department_series(people.departments)

    def resolve(row: dict) -> dict:
        # Ids, not objects: setting related objects costs more than the insert itself.
        resolved = dict(row)
        resolved["metric_id"] = metrics[resolved.pop("metric")].pk
        if "segment" in row:
            slug = resolved.pop("segment")
            resolved["segment_id"] = segments[slug].pk if slug else None
        return resolved

    parts = [
        ("targets", Target, lambda: _targets(today, months, series, resolve)),
        ("movements", CustomerMovement, lambda: _movements(lines, segments, reasons, people)),
        ("readings", Reading, lambda: _readings(seed, today, months, series, sizes, resolve)),
    ]
    for name, model, rows in parts:
        if model.objects.exists():
            result.skipped.append(f"{name} ({name} exist)")
            continue
        total, generated = rows()
        with transaction.atomic():
            _write(model, generated, bar=progress(total, name))
        result.created[name] = total


def _targets(today, months, series, resolve) -> tuple[int, Iterable[dict]]:
    until = fiscal_years(today)["active"][2]
    rows = [resolve(row) for row in targets(today=today, months=months, series=series, until=until)]
    return len(rows), rows


def _movements(lines, segments, reasons, people: People) -> tuple[int, Iterable[dict]]:
    departments = {d.slug: d.pk for d in people.departments}
    return len(lines), (_movement_row(line, segments, reasons, departments, people.cco) for line in lines)


def _readings(seed, today: dt.date, months, series, sizes: Sizes, resolve) -> tuple[int, Iterable[dict]]:
    if sizes.readings is None:
        counts = [len(months)] * len(series)
    else:
        counts = spread(sizes.readings - COMPANY_READINGS, len(series))
    rng = random.Random(f"{seed}-readings")
    rows = (
        resolve(row)
        for part in (
            company_readings(months=months),
            department_readings(rng=rng, today=today, months=months, series=series, counts=counts),
        )
        for row in part
    )
    return COMPANY_READINGS + sum(counts), rows
