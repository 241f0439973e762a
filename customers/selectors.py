"""Reads of metrics and customer movements, scoped to what a user may see and change.

Readings and movements: CCO staff and executives see all; anyone else sees the company-level
ones and those of the departments they head or belong to. CCO staff change all of them, a
department head those of the departments they head.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from core.choices import with_current
from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading, Target
from org.models import Department
from org.selectors import (
    UserLike,
    department_list_changeable,
    user_department_ids,
    user_headed_department_ids,
    user_is_cco_staff,
    user_is_executive,
    user_sees_everything,
)


def reading_list(*, user: UserLike) -> QuerySet[Reading]:
    qs = Reading.objects.select_related("metric", "department", "segment", "entered_by")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department__isnull=True) | Q(department_id__in=user_department_ids(user=user)))


def reading_list_changeable(*, user: UserLike) -> QuerySet[Reading]:
    qs = reading_list(user=user)
    if user_is_cco_staff(user=user):
        return qs
    if user_is_executive(user=user):
        return qs.none()
    return qs.filter(department_id__in=user_headed_department_ids(user=user))


def movement_list(*, user: UserLike) -> QuerySet[CustomerMovement]:
    qs = CustomerMovement.objects.select_related("segment", "department", "loss_reason", "entered_by")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department__isnull=True) | Q(department_id__in=user_department_ids(user=user)))


def movement_list_changeable(*, user: UserLike) -> QuerySet[CustomerMovement]:
    qs = movement_list(user=user)
    if user_is_cco_staff(user=user):
        return qs
    if user_is_executive(user=user):
        return qs.none()
    return qs.filter(department_id__in=user_headed_department_ids(user=user))


def department_changeable_for_data(*, department_id: int | None, user: UserLike) -> bool:
    """May this user write readings or movements for this department (None: company level)?"""
    if user_is_cco_staff(user=user):
        return True
    if user_is_executive(user=user) or department_id is None:
        return False
    return department_id in user_headed_department_ids(user=user)


def department_visible_for_data(*, department_id: int | None, user: UserLike) -> bool:
    """The object-level twin of `reading_list`/`movement_list`: may this user see data of this department?"""
    if user_sees_everything(user=user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return department_id is None or department_id in user_department_ids(user=user)


def readings_refused_today() -> Q:
    """Readings kept from before a metric had its range or ledger source: outside it, or of a ledger metric.

    New ones are refused; the migration that set the ranges listed these and kept them.
    """
    below = Q(metric__min_value__isnull=False, value__lt=F("metric__min_value"))
    above = Q(metric__max_value__isnull=False, value__gt=F("metric__max_value"))
    return below | above | ~Q(metric__source=Metric.Source.READINGS)


@dataclass
class LossReasonRow:
    """One reason customers left in a period: how many, the profit lost, its share of all losses (in %), its owner."""

    rank: int
    reason: LossReason
    lost: int
    profit_lost: Decimal
    share: float
    initiatives: list = field(default_factory=list)  # filled in by the roadmap: active initiatives addressing it

    @property
    def department(self) -> Department | None:
        return self.reason.department


def loss_reasons_ranked(*, start: dt.date, end: dt.date) -> list[LossReasonRow]:
    """Customers lost between two dates grouped by reason, largest first (then profit lost, then name).

    docs/domain.md, "top loss reasons". Two queries, whatever the number of movements.
    """
    lost = CustomerMovement.objects.filter(
        kind=CustomerMovement.Kind.LOST, date__gte=start, date__lte=end, loss_reason__isnull=False
    )
    sums = list(lost.values("loss_reason_id").annotate(n=Sum("count"), profit=Sum("profit")).order_by())
    reasons = LossReason.objects.select_related("department__head").in_bulk([row["loss_reason_id"] for row in sums])
    total = sum(row["n"] for row in sums)
    ordered = sorted(sums, key=lambda r: (-r["n"], -r["profit"], reasons[r["loss_reason_id"]].name))
    return [
        LossReasonRow(
            rank=i,
            reason=reasons[row["loss_reason_id"]],
            lost=row["n"],
            profit_lost=row["profit"],
            share=100 * row["n"] / total,
        )
        for i, row in enumerate(ordered, start=1)
    ]


# What a user may choose when writing a relation (core/choices.py): the API and the admin apply these.


def reading_choices(*, user: UserLike, instance: Reading | None) -> dict[str, QuerySet]:
    """Readings go to a department the user may write data for (company level: checked by the caller)."""
    return {
        "metric": Metric.objects.all(),
        "department": with_current(department_list_changeable(user=user), instance, "department"),
        "segment": CustomerSegment.objects.all(),
    }


def movement_choices(*, user: UserLike, instance: CustomerMovement | None) -> dict[str, QuerySet]:
    """As readings; a loss names a reason the CCO office still uses."""
    return {
        "segment": CustomerSegment.objects.all(),
        "department": with_current(department_list_changeable(user=user), instance, "department"),
        "loss_reason": with_current(LossReason.objects.filter(active=True), instance, "loss_reason"),
    }


def loss_reason_choices(*, user: UserLike, instance: LossReason | None) -> dict[str, QuerySet]:
    """CCO staff keep the loss reasons: any department may be made accountable for one."""
    return {"department": Department.objects.all()}


def target_choices(*, user: UserLike, instance: Target | None) -> dict[str, QuerySet]:
    """Targets are set by CCO staff, for any metric and department."""
    return {"metric": Metric.objects.all(), "department": Department.objects.all()}
