"""Hand-off rate: of the hand-offs a department gives, how many it delivered by their due date.

DOMAIN: a hand-off's giver is the department of the task waited on, its receiver the
department that waits. A giver's hand-off rate = its hand-offs delivered on or before the due
date / its hand-offs due in the period. A hand-off is due when the task waited on is due (in
the period, not cancelled); it is delivered on time when that task was done on or before its
due date, in the organisation's time zone. One grouped query per computation, per giver.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual

from accountability.scorecards.context import Context, basis_points, fmt
from core.periods import org_zone
from roadmap.models import Task


@dataclass
class HandOffCounts:
    due: int = 0
    on_time: int = 0

    def __iadd__(self, other: HandOffCounts) -> HandOffCounts:
        self.due += other.due
        self.on_time += other.on_time
        return self

    @property
    def rate(self) -> Decimal | None:
        return None if not self.due else Decimal(self.on_time) / Decimal(self.due)


def hand_offs_by_giver(*, ctx: Context, where: Q) -> dict[int, HandOffCounts]:
    """Hand-off counts per giver department; `where` filters the awaited task (e.g. its department)."""
    done_on = TruncDate("to_task__completed_at", tzinfo=org_zone())
    on_time = Q(LessThanOrEqual(done_on, F("to_task__due_date")), to_task__status=Task.Status.DONE)
    rows = (
        Task.depends_on.through.objects.filter(
            to_task__due_date__gte=ctx.period.start, to_task__due_date__lte=ctx.period.end
        )
        .filter(_prefixed(where))
        .exclude(from_task__department_id=F("to_task__department_id"))
        .exclude(to_task__status=Task.Status.CANCELLED)
        .values("to_task__department_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=on_time))
        .order_by()
    )
    return {row["to_task__department_id"]: HandOffCounts(row["due"], row["on_time"]) for row in rows}


def _prefixed(where: Q) -> Q:
    """The same condition on the awaited task (`department_id__in` → `to_task__department_id__in`)."""
    prefixed = Q()
    prefixed.connector, prefixed.negated = where.connector, where.negated
    for child in where.children:
        prefixed.children.append(_prefixed(child) if isinstance(child, Q) else (f"to_task__{child[0]}", child[1]))
    return prefixed


def hand_off_inputs(counts: HandOffCounts) -> dict:
    return {
        "hand_offs_due": counts.due,
        "hand_offs_on_time": counts.on_time,
        "handoff_rate": None if counts.rate is None else str(basis_points(counts.rate)),
    }


def hand_off_explanation(counts: HandOffCounts) -> str:
    if not counts.due:
        return "No hand-offs to other departments due in the period: no hand-off rate."
    return (
        f"hand-offs delivered by their due date {counts.on_time} / hand-offs to other departments due in the "
        f"period {counts.due} = {fmt(counts.rate, 4)}. Shown beside delivery; not part of the overall score."
    )
