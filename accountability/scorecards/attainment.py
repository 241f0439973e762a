"""Metric attainment: each metric's value over the period against its target, scored 0 to 100.

The value itself comes from `readings` (typed-in metrics) or `growth` (ledger metrics).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from accountability.scorecards.context import Context
from customers.models import Metric, Target

Aggregation = Metric.Aggregation
FIFTY = Decimal(50)


def attainment_score(*, higher_is_better: bool, target: Decimal, amber: Decimal, value: Decimal) -> Decimal:
    """The attainment score of docs/domain.md; lower is better mirrors higher is better around the target."""
    if higher_is_better:
        if value >= target:
            return Decimal(100)
        if value >= amber:
            return FIFTY + FIFTY * (value - amber) / (target - amber)
        return Decimal(0) if amber <= 0 else max(Decimal(0), FIFTY * value / amber)
    if value <= target:
        return Decimal(100)
    if value <= amber:
        return FIFTY + FIFTY * (amber - value) / (amber - target)
    return Decimal(0) if amber <= 0 else max(Decimal(0), FIFTY * (2 * amber - value) / amber)


def targets_of_period(*, ctx: Context, where: Q) -> dict[tuple[int, int | None], Target]:
    """The period's targets per (metric id, department id; None for the company target)."""
    targets = Target.objects.filter(
        where, period_kind=ctx.period.kind, period_start=ctx.period.start, metric__active=True
    )
    return {(t.metric_id, t.department_id): t for t in targets}


def active_metrics() -> list[Metric]:
    return list(Metric.objects.filter(active=True).order_by("code"))
