"""Metric attainment: each metric's value over the period against its target, scored 0 to 100.

Two queries cover every metric and every department at once: sums and counts grouped by
(metric, department), and the last reading per (metric, department) by a window function.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from accountability.scorecards.context import Context
from customers.models import Metric, Reading, Target

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


@dataclass
class MetricFigures:
    """What the period's readings of one metric (for one department, or summed) add up to."""

    total: Decimal = Decimal(0)
    count: int = 0
    last: Decimal | None = None
    last_parts: int = 0  # how many departments' last values were added up

    def add(self, other: MetricFigures) -> None:
        self.total += other.total
        self.count += other.count
        if other.last is not None:
            self.last = (self.last or Decimal(0)) + other.last
            self.last_parts += 1

    def value(self, aggregation: str) -> Decimal | None:
        if not self.count:
            return None
        if aggregation == Aggregation.SUM:
            return self.total
        if aggregation == Aggregation.AVERAGE:
            return self.total / self.count
        return self.last


def metric_figures(*, ctx: Context, where: Q) -> dict[tuple[int, int | None], MetricFigures]:
    """Figures per (metric id, department id) of the active metrics' readings in the period."""
    readings = Reading.objects.filter(where, ctx.in_period, metric__active=True)
    figures: dict[tuple[int, int | None], MetricFigures] = {}
    grouped = readings.values("metric_id", "department_id").annotate(total=Sum("value"), n=Count("pk")).order_by()
    for row in grouped:
        figures[row["metric_id"], row["department_id"]] = MetricFigures(total=row["total"], count=row["n"])
    latest = (
        readings.filter(metric__aggregation=Aggregation.LAST)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("metric_id"), F("department_id")],
                order_by=[F("date").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("metric_id", "department_id", "value")
    )
    for metric_id, department_id, value in latest:
        figures[metric_id, department_id].last = value
        figures[metric_id, department_id].last_parts = 1
    return figures


def targets_of_period(*, ctx: Context, where: Q) -> dict[tuple[int, int | None], Target]:
    """The period's targets per (metric id, department id; None for the company target)."""
    targets = Target.objects.filter(
        where, period_kind=ctx.period.kind, period_start=ctx.period.start, metric__active=True
    )
    return {(t.metric_id, t.department_id): t for t in targets}


def active_metrics() -> list[Metric]:
    return list(Metric.objects.filter(active=True).order_by("code"))
