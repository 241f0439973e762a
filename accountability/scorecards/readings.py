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
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Context as DecimalContext
from decimal import Decimal

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import DenseRank, RowNumber

from accountability.scorecards.context import Context
from core.periods import Period
from customers.models import Metric, Reading
from customers.selectors import readings_refused_today

Aggregation = Metric.Aggregation
ZERO = Decimal(0)
# Totals are added up exactly: a date's mean keeps 28 significant digits, and adding such values
# at 28 digits rounds at every step, so the total would depend on the order the departments and
# dates come in (the database's, or a snapshot's). 100 digits hold any sum of them exactly; the
# value is rounded once, at the end (`MetricFigures.value`).
EXACT = DecimalContext(prec=100)

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
        self.total = EXACT.add(self.total, other.total)
        self.dates += other.dates
        self.readings += other.readings
        if other.last is not None:
            self.last = EXACT.add(self.last or ZERO, other.last)
            self.last_parts += 1
            self.last_date = max(self.last_date or other.last_date, other.last_date)

    @property
    def count(self) -> int:
        return self.readings

    def value(self, aggregation: str) -> Decimal | None:
        if not self.dates:
            return None
        if aggregation == Aggregation.SUM:
            return +self.total
        if aggregation == Aggregation.AVERAGE:
            return self.total / self.dates
        return None if self.last is None else +self.last


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
    groups = (
        readings.values_list("metric_id", "metric__aggregation", "department_id", "segment__name", "date")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
    )
    latest = _latest_of_groups(readings.filter(metric__aggregation=Aggregation.LAST), segment="segment__name")
    result = ReadingFigures()
    for key, by_date in _dated_values(groups, dict(latest)).items():
        result.totals[key] = _totals(by_date)
        segment_names = {s for parts in by_date.values() for s in parts if s is not None}
        for name in sorted(segment_names):
            dated = {date: parts[name] for date, parts in by_date.items() if name in parts}
            result.segments[key][name] = _figures(dated)
    return result


def reading_totals_by_period(
    *,
    metrics: dict[int, Metric],
    wanted: dict[Period, set[int] | None],
    departments: dict[int, set[int]] | None = None,
) -> dict[Period, dict[Key, MetricFigures]]:
    """`reading_figures(...).totals` of these metrics, without the breakdown by segment, read
    lean, for several periods (of one kind, so that none overlaps another).

    The same groups of readings and the same arithmetic, but the metrics' settings (active,
    source, range) are taken from the objects given instead of being joined to every reading,
    and segments are told apart by id (their names are unique): the query reads the readings'
    index alone (`reading_metric_cover`). Follow-through asks this of the quarters it computes.
    Each period asks for the metrics `wanted` names (None: all of `metrics`), with the same two
    queries however many periods: one date range from the first period to the last; the rows of
    dates or metrics not asked for are dropped here.

    `departments` names, per metric, the only departments whose readings are read (the caller
    knows the others' figures): their keys alone are in the result. Those metrics are read
    through the department index, in the same query (UNION ALL), so that a few departments'
    readings cost a few departments' rows, not a scan of every department's."""
    asked = {p: set(metrics) if ids is None else set(ids) for p, ids in wanted.items()}
    accepted = {
        pk: metrics[pk]
        for pk in set().union(*asked.values())
        if metrics[pk].active and metrics[pk].source == Metric.Source.READINGS
    }
    if not accepted:
        return {}
    only = {pk: ids for pk, ids in (departments or {}).items() if pk in accepted}
    ordered = sorted(asked, key=lambda p: p.start)
    dates = Q(date__gte=ordered[0].start, date__lte=ordered[-1].end)
    parts = []  # (readings, their metrics)
    if everyone := sorted(pk for pk in accepted if pk not in only):
        parts.append((Reading.objects.filter(dates, _in_range(accepted, everyone), metric_id__in=everyone), everyone))
    if read := sorted(set().union(*only.values())):
        few = sorted(only)
        readings = Reading.objects.filter(dates, _in_range(accepted, few), metric_id__in=few, department_id__in=read)
        parts.append((readings, few))
    if not parts:
        return {period: {} for period in ordered}
    grouped = [
        readings.values_list("metric_id", "date", "department_id", "segment_id")
        .annotate(total=Sum("value"), n=Count("pk"))
        .order_by()
        for readings, _ids in parts
    ]
    groups = grouped[0] if len(grouped) == 1 else grouped[0].union(grouped[1], all=True)
    starts, ends = [p.start for p in ordered], [p.end for p in ordered]
    aggregation = {pk: m.aggregation for pk, m in accepted.items()}
    rows: dict[Period, list] = {p: [] for p in ordered}
    for m, date, d, s, total, n in groups:  # thousands of rows at 100x the demo: nothing computed twice
        i = bisect_right(starts, date) - 1
        if date <= ends[i] and m in asked[ordered[i]] and (m not in only or d in only[m]):
            rows[ordered[i]].append((m, aggregation[m], d, s, date, total, n))
    latest = {}
    for readings, ids in parts:
        if last := [pk for pk in ids if accepted[pk].aggregation == Aggregation.LAST]:
            latest.update(_latest_of_groups(readings.filter(metric_id__in=last), segment="segment_id"))
    return {
        period: {key: _totals(by_date) for key, by_date in _dated_values(rows[period], latest).items()}
        for period in ordered
    }


def _in_range(metrics: dict[int, Metric], ids: list[int]) -> Q:
    """The readings of these metrics within their ranges: those `readings_refused_today` refuses,
    left out the other way round."""
    in_range = Q()
    for pk in ids:
        metric = metrics[pk]
        bounds = Q(metric_id=pk)
        if metric.min_value is not None:
            bounds &= Q(value__gte=metric.min_value)
        if metric.max_value is not None:
            bounds &= Q(value__lte=metric.max_value)
        in_range |= bounds
    return in_range


# (metric, department) → date → segment (None: unsegmented) → (value of that date, readings)
DatedValues = dict[Key, dict[dt.date, dict[object, tuple[Decimal, int]]]]


def _dated_values(rows, latest: dict) -> DatedValues:
    """Each group's value as its metric aggregates it, from rows of
    (metric, aggregation, department, segment, date, sum, count) and the latest entered values."""
    values: DatedValues = defaultdict(lambda: defaultdict(dict))
    for metric_id, aggregation, department_id, segment, date, total, n in rows:
        if aggregation == Aggregation.SUM:
            value = total
        elif aggregation == Aggregation.AVERAGE:
            value = total / n
        else:
            value = latest[(metric_id, department_id, segment, date)]
        values[(metric_id, department_id)][date][segment] = (value, n)
    return values


def _totals(by_date: dict[dt.date, dict[object, tuple[Decimal, int]]]) -> MetricFigures:
    figures = _figures({date: _date_total(parts) for date, parts in by_date.items()})
    figures.readings = sum(n for parts in by_date.values() for _, n in parts.values())
    return figures


def _date_total(parts: dict[object, tuple[Decimal, int]]) -> tuple[Decimal, int]:
    if None in parts:
        return parts[None]
    return _exact_sum(value for value, _ in parts.values()), sum(n for _, n in parts.values())


def _figures(dated: dict[dt.date, tuple[Decimal, int]]) -> MetricFigures:
    last_date = max(dated)
    return MetricFigures(
        total=_exact_sum(value for value, _ in dated.values()),
        dates=len(dated),
        readings=sum(n for _, n in dated.values()),
        last=dated[last_date][0],
        last_date=last_date,
        last_parts=1,
    )


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def _latest_of_groups(readings, *, segment: str):
    """((metric, department, segment, date), value) of the latest entered reading of each group;
    `segment` names what tells segments apart (their name or their id)."""
    ranked = (
        readings.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("metric_id"), F("department_id"), F("segment_id"), F("date")],
                order_by=[F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("metric_id", "department_id", segment, "date", "value")
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
