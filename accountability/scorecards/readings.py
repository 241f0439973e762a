"""A metric's value over a period and scope from its readings: docs/domain.md, "Metric value".

Segments are breakdowns. The readings of one date and one segment (or none) make one value
(sum, mean or latest entered, as the metric aggregates); a date's total is its unsegmented
value where there is one, otherwise the sum of its segment values; the period aggregates the
date totals. Two queries cover every metric, department, segment and date: sums and counts
grouped by (metric, department, segment, date), and the latest entered reading of each such
group for last-value metrics.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import DenseRank, RowNumber

from accountability.scorecards.context import Context
from core.periods import Period
from customers.models import Metric, Reading
from customers.selectors import readings_refused_today

Aggregation = Metric.Aggregation
ZERO = Decimal(0)

# (metric id, department id or None)
Key = tuple[int, int | None]


@dataclass
class MetricFigures:
    """The date totals of one metric for one scope (or several departments added up)."""

    total: Decimal = ZERO  # sum of the date totals
    dates: int = 0  # how many date totals
    readings: int = 0  # readings behind them, segment readings included
    last: Decimal | None = None  # the latest date's total (several departments: their sum)
    last_date: dt.date | None = None
    last_parts: int = 0  # how many departments' last totals were added up

    def add(self, other: MetricFigures) -> None:
        self.total += other.total
        self.dates += other.dates
        self.readings += other.readings
        if other.last is not None:
            self.last = (self.last or ZERO) + other.last
            self.last_parts += 1
            self.last_date = max(self.last_date or other.last_date, other.last_date)

    @property
    def count(self) -> int:
        return self.readings

    def value(self, aggregation: str) -> Decimal | None:
        if not self.dates:
            return None
        if aggregation == Aggregation.SUM:
            return self.total
        if aggregation == Aggregation.AVERAGE:
            return self.total / self.dates
        return self.last


@dataclass
class ReadingFigures:
    """Per (metric, department): the totals, and per segment name the breakdown."""

    totals: dict[Key, MetricFigures] = field(default_factory=dict)
    segments: dict[Key, dict[str, MetricFigures]] = field(default_factory=lambda: defaultdict(dict))


def reading_figures(*, ctx: Context, where: Q) -> ReadingFigures:
    """Figures of the active, reading-sourced metrics' readings in the period.

    Readings kept from before their metric had a range or a ledger source, and now refused,
    are not counted (`customers.selectors.readings_refused_today`).
    """
    readings = Reading.objects.filter(where, ctx.in_period, metric__active=True).exclude(readings_refused_today())
    return _built(list(_groups(readings)), dict(_latest_of_groups(readings)))


def reading_figures_by_period(*, metrics_by_period: dict[Period, set[int]]) -> dict[Period, ReadingFigures]:
    """`reading_figures` of some metrics in each of several periods (of one kind, so that none
    overlaps another) with the same two queries: the rows are grouped by date already, and each
    date falls in one period. One range from the first period to the last, over an index on
    (metric, date); the rows of dates or metrics not asked for are dropped here."""
    if not metrics_by_period:
        return {}
    ordered = sorted(metrics_by_period, key=lambda p: p.start)
    metric_ids = sorted({m for ids in metrics_by_period.values() for m in ids})
    where = Q(metric_id__in=metric_ids, date__gte=ordered[0].start, date__lte=ordered[-1].end)
    readings = Reading.objects.filter(where, metric__active=True).exclude(readings_refused_today())
    starts = [p.start for p in ordered]
    rows: dict[Period, list[dict]] = {p: [] for p in ordered}
    for row in _groups(readings):
        period = ordered[bisect_right(starts, row["date"]) - 1]
        if row["date"] <= period.end and row["metric_id"] in metrics_by_period[period]:
            rows[period].append(row)
    latest = dict(_latest_of_groups(readings))
    return {p: _built(rows[p], latest) for p in ordered}


def _groups(readings):
    return (
        readings.values("metric_id", "metric__aggregation", "department_id", "segment__name", "date")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
    )


def _built(groups: list[dict], latest: dict) -> ReadingFigures:
    """The figures from the grouped rows and the latest entered reading of each last-value group."""
    # (metric, department) → date → segment name (None: unsegmented) → (value of that date, readings)
    values: dict[Key, dict[dt.date, dict[str | None, tuple[Decimal, int]]]] = defaultdict(lambda: defaultdict(dict))
    aggregations: dict[int, str] = {}
    for row in groups:
        key = (row["metric_id"], row["department_id"])
        aggregation = aggregations[row["metric_id"]] = row["metric__aggregation"]
        segment, date = row["segment__name"], row["date"]
        if aggregation == Aggregation.SUM:
            value = row["total"]
        elif aggregation == Aggregation.AVERAGE:
            value = row["total"] / row["n"]
        else:
            value = latest[(*key, segment, date)]
        values[key][date][segment] = (value, row["n"])
    result = ReadingFigures()
    for key, by_date in values.items():
        result.totals[key] = _figures({date: _date_total(parts) for date, parts in by_date.items()})
        result.totals[key].readings = sum(n for parts in by_date.values() for _, n in parts.values())
        segment_names = {s for parts in by_date.values() for s in parts if s is not None}
        for name in sorted(segment_names):
            dated = {date: parts[name] for date, parts in by_date.items() if name in parts}
            result.segments[key][name] = _figures(dated)
    return result


def _date_total(parts: dict[str | None, tuple[Decimal, int]]) -> tuple[Decimal, int]:
    if None in parts:
        return parts[None]
    return sum((value for value, _ in parts.values()), ZERO), sum(n for _, n in parts.values())


def _figures(dated: dict[dt.date, tuple[Decimal, int]]) -> MetricFigures:
    last_date = max(dated)
    return MetricFigures(
        total=sum((value for value, _ in dated.values()), ZERO),
        dates=len(dated),
        readings=sum(n for _, n in dated.values()),
        last=dated[last_date][0],
        last_date=last_date,
        last_parts=1,
    )


def _latest_of_groups(readings):
    """((metric, department, segment name, date), value) of the latest entered reading of each group."""
    ranked = (
        readings.filter(metric__aggregation=Aggregation.LAST)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("metric_id"), F("department_id"), F("segment_id"), F("date")],
                order_by=[F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("metric_id", "department_id", "segment__name", "date", "value")
    )
    return (((m, d, s, date), value) for m, d, s, date, value in ranked)


def starting_totals(*, metric_code: str, before: dt.date, where: Q) -> dict[int | None, Decimal]:
    """Per department (None: company-level readings), the total of `metric_code` on its latest date ≤ `before`.

    The total follows rules 1 and 2 of "Metric value": each segment's readings of that date
    make one value as the metric aggregates them (sum, mean or the latest entered), and the
    unsegmented value, where there is one, is the total; otherwise the segment values add up.
    """
    latest_day = (
        Reading.objects.filter(where, metric__code=metric_code, date__lte=before)
        .exclude(readings_refused_today())
        .annotate(day_rank=Window(DenseRank(), partition_by=[F("department_id")], order_by=[F("date").desc()]))
        .filter(day_rank=1)
        .order_by("pk")
        .values_list("department_id", "segment_id", "value", "metric__aggregation")
    )
    by_department: dict[int | None, dict[int | None, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    aggregation_of: dict[int | None, str] = {}  # one metric, so one aggregation
    for department_id, segment_id, value, aggregation in latest_day:
        by_department[department_id][segment_id].append(value)
        aggregation_of[department_id] = aggregation
    starts = {}
    for department_id, by_segment in by_department.items():
        aggregation = aggregation_of[department_id]
        parts = {segment: _one_value(aggregation, values) for segment, values in by_segment.items()}
        starts[department_id] = parts[None] if None in parts else sum(parts.values(), ZERO)
    return starts


def _one_value(aggregation: str, values: list[Decimal]) -> Decimal:
    """Rule 1 on one segment's readings of one date, in the order they were entered."""
    if aggregation == Aggregation.SUM:
        return sum(values, ZERO)
    if aggregation == Aggregation.AVERAGE:
        return sum(values, ZERO) / len(values)
    return values[-1]
