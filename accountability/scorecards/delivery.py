"""Delivery: tasks due in the period, on time, late, overdue, blocked, stale; on-time rate; say/do.

One grouped query per call: rows per department (the company is their sum) or per owner. The
same query counts the promises of the period (tasks whose promise falls in it), how many were
kept and how far they slipped: its rows are the tasks due or promised in the period, and each
count filters on the one it is about.
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
    promised: int = 0
    kept: int = 0
    slips: int = 0
    slip_days: int = 0

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

    @property
    def say_do_rate(self) -> Decimal | None:
        """DOMAIN: tasks done on or before their promise / tasks whose promise falls in the period."""
        return None if not self.promised else Decimal(self.kept) / Decimal(self.promised)

    @property
    def average_slip(self) -> Decimal | None:
        """Average days per slip of the period's promises (no value without slips)."""
        return None if not self.slips else Decimal(self.slip_days) / Decimal(self.slips)


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


def _due_q(ctx: Context) -> Q:
    return Q(due_date__gte=ctx.period.start, due_date__lte=ctx.period.end)


def _promised_q(ctx: Context) -> Q:
    return Q(promised_date__gte=ctx.period.start, promised_date__lte=ctx.period.end)


def _aggregates(ctx: Context) -> dict:
    done_on = TruncDate("completed_at", tzinfo=org_zone())
    on_time = LessThanOrEqual(done_on, F("due_date"))
    late = GreaterThan(done_on, F("due_date"))
    due = _due_q(ctx)
    overdue = due & Q(due_date__lt=ctx.today) & ~Q(status=Status.DONE)
    days_late = Value(ctx.today, output_field=DateField()) - F("due_date")
    promised = _promised_q(ctx)
    kept = LessThanOrEqual(done_on, F("promised_date"))
    # Slip days add up to due - promise (each approved slip moves the date on from the last).
    slipped = F("due_date") - F("promised_date")
    return {
        "due": Count("pk", filter=due),
        "on_time": Count("pk", filter=due & Q(on_time, status=Status.DONE)),
        "late": Count("pk", filter=due & Q(late, status=Status.DONE)),
        "overdue": Count("pk", filter=overdue),
        "overdue_span": Sum(days_late, filter=overdue, output_field=DurationField()),
        "blocked": Count("pk", filter=due & Q(status=Status.BLOCKED)),
        "stale": Count("pk", filter=due & _stale_q(ctx)),
        "promised": Count("pk", filter=promised),
        "kept": Count("pk", filter=promised & Q(kept, status=Status.DONE)),
        "slips": Sum("slip_count", filter=promised, default=0),
        "slip_span": Sum(slipped, filter=promised & Q(slip_count__gt=0), output_field=DurationField()),
    }


def delivery_by(*, ctx: Context, group: str, where: Q) -> dict[int | None, DeliveryCounts]:
    """Delivery counts per `group` ("department_id" or "owner_id") for the tasks matching `where`."""
    rows = (
        Task.objects.filter(where, _due_q(ctx) | _promised_q(ctx))
        .exclude(status=Status.CANCELLED)
        .values(group)
        .annotate(**_aggregates(ctx))
        .order_by()
    )
    result = {}
    for row in rows:
        span, slip_span = row.pop("overdue_span"), row.pop("slip_span")
        key = row.pop(group)
        result[key] = DeliveryCounts(overdue_days=_days(span), slip_days=_days(slip_span), **row)
    return result


def _days(span: dt.timedelta | int | None) -> int:
    if span is None:
        return 0
    if isinstance(span, dt.timedelta):
        return span.days
    if isinstance(span, str):  # SQLite may hand a date difference back as text
        return int(float(span)) // 86_400_000_000
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


def say_do_inputs(counts: DeliveryCounts) -> dict:
    return {
        "promised": counts.promised,
        "kept": counts.kept,
        "slips": counts.slips,
        "slip_days": counts.slip_days,
        "say_do_rate": None if counts.say_do_rate is None else str(basis_points(counts.say_do_rate)),
        "slips_per_task": None if not counts.promised else str(basis_points(Decimal(counts.slips) / counts.promised)),
        "average_slip_days": None if counts.average_slip is None else str(basis_points(counts.average_slip)),
    }


def say_do_explanation(counts: DeliveryCounts) -> str:
    if not counts.promised:
        return "No promises fall in the period: no say/do rate."
    per_task = Decimal(counts.slips) / Decimal(counts.promised)
    text = (
        f"done by the promise {counts.kept} / promised in the period {counts.promised} = "
        f"{fmt(counts.say_do_rate, 4)}. Slips {counts.slips} ({fmt(per_task, 2)} per task)"
    )
    if counts.slips:
        text += f", {counts.slip_days} days in all, {fmt(counts.average_slip, 1)} days per slip on average"
    return text + ". Shown beside delivery; not part of the overall score."
