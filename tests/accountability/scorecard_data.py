"""Builders for scorecard tests: tasks in a given state, readings, movements, in few lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings

from accountability.models import Scorecard
from customers.models import CustomerMovement, Metric
from roadmap.models import Task
from tests import factories

Q1 = dt.date(2026, 1, 1)


def local(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """An aware moment on `day` in the organisation's time zone."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def tasks(department, *, due: dt.date, owner=None, initiative=None, n: int = 1, **state) -> list[Task]:
    """`n` tasks due on `due`; `done_on=date` makes them done at noon that day, `status=` sets others."""
    initiative = initiative or factories.InitiativeFactory()
    done_on = state.pop("done_on", None)
    if done_on is not None:
        state.update(status=Task.Status.DONE, completed_at=local(done_on))
    kwargs = {"department": department, "initiative": initiative, "due_date": due, **state}
    if owner is not None:
        kwargs["owner"] = owner
    return [factories.TaskFactory(**kwargs) for _ in range(n)]


def metric(
    code: str, *, lower: bool = False, aggregation: str = "avg", level: str = "department", weight=1, unit: str = ""
):
    return factories.MetricFactory(
        code=code,
        name=code.replace("-", " ").capitalize(),
        direction=Metric.Direction.LOWER if lower else Metric.Direction.HIGHER,
        aggregation=aggregation,
        level=level,
        weight=Decimal(weight),
        unit=unit,
    )


def target(metric_obj, *, t, a, department=None, start: dt.date = Q1, kind: str = "quarter"):
    return factories.TargetFactory(
        metric=metric_obj,
        department=department,
        period_start=start,
        period_kind=kind,
        target_value=Decimal(str(t)),
        amber_threshold=Decimal(str(a)),
    )


def readings(metric_obj, department, *values_by_date: tuple[dt.date, str | int | float]) -> None:
    for day, value in values_by_date:
        factories.ReadingFactory(metric=metric_obj, department=department, date=day, value=Decimal(str(value)))


def moved(
    department,
    *,
    kind: str,
    count: int,
    day: dt.date = dt.date(2026, 2, 10),
    segment=None,
    reason=None,
    revenue: int = 0,
    profit: int = 0,
) -> CustomerMovement:
    extra = {"segment": segment} if segment is not None else {}
    if kind == "lost":
        extra["loss_reason"] = reason or factories.LossReasonFactory(name="Price", slug="price")
    return factories.CustomerMovementFactory(
        department=department,
        kind=kind,
        count=count,
        date=day,
        revenue=Decimal(revenue),
        profit=Decimal(profit),
        **extra,
    )


def line(scorecard: Scorecard, label: str):
    """The scorecard's line whose label starts with `label` (exactly one)."""
    found = [ln for ln in scorecard.lines.all() if ln.label.startswith(label)]
    assert len(found) == 1, [ln.label for ln in scorecard.lines.all()]
    return found[0]
