"""Delivery: tasks due in the period, on time, late, overdue, blocked, stale; on-time rate.

One grouped query per call: rows per department (the company is their sum) or per owner.
Completion dates are compared in the organisation's time zone (TruncDate with tzinfo), so a
task done at 23:30 local time on the last day of a quarter counts in that quarter, also
across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, DateField, DurationField, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from accountability.scorecards.context import HUNDRED, Context, basis_points, fmt
from core.periods import org_zone
from roadmap.models import CheckIn, Task

Status = Task.Status


@dataclass
class DeliveryCounts:
    """The delivery figures of one subject (all counts are of tasks due in the period)."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    overdue_days: int = 0
    blocked: int = 0
    stale: int = 0

    def __iadd__(self, other: DeliveryCounts) -> DeliveryCounts:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))
        return self

    @property
    def pending(self) -> int:
        """Not done and not yet overdue."""
        return self.due - self.on_time - self.late - self.overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        return None if not self.due else Decimal(self.on_time) / Decimal(self.due)

    @property
    def score(self) -> Decimal | None:
        rate = self.on_time_rate
        return None if rate is None else HUNDRED * rate


def _stale_q(ctx: Context) -> Q:
    """In progress, with neither a check-in nor a status change within the last stale_days."""
    cutoff = ctx.today - dt.timedelta(days=ctx.settings.stale_days)
    cutoff_moment = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min, tzinfo=org_zone())
    recent_check_in = CheckIn.objects.filter(task_id=OuterRef("pk"), date__gt=cutoff)
    return (
        Q(status=Status.IN_PROGRESS)
        & ~Exists(recent_check_in)
        & (Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=cutoff_moment))
    )


def _aggregates(ctx: Context) -> dict:
    done_on = TruncDate("completed_at", tzinfo=org_zone())
    on_time = LessThanOrEqual(done_on, F("due_date"))
    late = GreaterThan(done_on, F("due_date"))
    overdue = Q(due_date__lt=ctx.today) & ~Q(status=Status.DONE)
    days_late = Value(ctx.today, output_field=DateField()) - F("due_date")
    return {
        "due": Count("pk"),
        "on_time": Count("pk", filter=Q(on_time, status=Status.DONE)),
        "late": Count("pk", filter=Q(late, status=Status.DONE)),
        "overdue": Count("pk", filter=overdue),
        "overdue_span": Sum(days_late, filter=overdue, output_field=DurationField()),
        "blocked": Count("pk", filter=Q(status=Status.BLOCKED)),
        "stale": Count("pk", filter=_stale_q(ctx)),
    }


def delivery_by(*, ctx: Context, group: str, where: Q) -> dict[int | None, DeliveryCounts]:
    """Delivery counts per `group` ("department_id" or "owner_id") for the tasks matching `where`."""
    rows = (
        Task.objects.filter(where, due_date__gte=ctx.period.start, due_date__lte=ctx.period.end)
        .exclude(status=Status.CANCELLED)
        .values(group)
        .annotate(**_aggregates(ctx))
        .order_by()
    )
    result = {}
    for row in rows:
        span = row.pop("overdue_span")
        key = row.pop(group)
        result[key] = DeliveryCounts(overdue_days=_days(span), **row)
    return result


def _days(span: dt.timedelta | int | None) -> int:
    if span is None:
        return 0
    if isinstance(span, dt.timedelta):
        return span.days
    return int(span) // 86_400_000_000  # SQLite sums durations as microseconds


def delivery_inputs(counts: DeliveryCounts, *, ctx: Context) -> dict:
    return {
        "due": counts.due,
        "on_time": counts.on_time,
        "late": counts.late,
        "overdue": counts.overdue,
        "overdue_days": counts.overdue_days,
        "pending": counts.pending,
        "blocked": counts.blocked,
        "stale": counts.stale,
        "stale_days": ctx.settings.stale_days,
        "today": ctx.today.isoformat(),
        "on_time_rate": None if counts.on_time_rate is None else str(basis_points(counts.on_time_rate)),
    }


def delivery_explanation(counts: DeliveryCounts, *, ctx: Context) -> str:
    if not counts.due:
        return "No tasks due in the period: delivery has no score and drops out of the overall score."
    rate = counts.on_time_rate
    return (
        f"on time {counts.on_time} / due {counts.due} = {fmt(rate, 4)} → delivery {fmt(counts.score)}. "
        f"Done late {counts.late}; overdue on {ctx.today.isoformat()} {counts.overdue} "
        f"({counts.overdue_days} days late in all); not yet due {counts.pending}; "
        f"blocked {counts.blocked}; stale (in progress, no check-in for {ctx.settings.stale_days} days) "
        f"{counts.stale}."
    )
