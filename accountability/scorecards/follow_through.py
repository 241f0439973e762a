"""Follow-through: did an initiative move what its customer case said it would? (docs/domain.md)

For each metric it should move: the company's value in the quarter before it started ("was"),
in each quarter while it runs (the trend), and in the quarter after it ended, or the latest
quarter so far while that has not begun ("now"), against the expected value. For each loss
reason it addresses: the customers lost in the quarter before and in the quarter after.

Values are computed as scorecards compute them: metrics typed in from their readings
(accountability.scorecards.readings), metrics counted from the movement ledger (customers
gained, lost, net) from the company's movements of the quarter, with no value in a quarter
without movements (accountability.scorecards.metric_lines). `follow_through_many` reads every
quarter looked at with the same three queries: its queries grow with nothing, neither the
quarters nor the initiatives, readings or movements.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum, prefetch_related_objects
from django.utils import timezone

from accountability.models import Scorecard, ScorecardLine
from accountability.scorecards.readings import MetricFigures, reading_totals_by_period
from core.periods import Period, PeriodKind, current_periods, quarter_start
from customers.models import CustomerMovement, Metric
from org.models import Department, RecomputeRequest
from roadmap.models import Initiative, InitiativeExpectation

MAX_TREND = 8  # quarters of trend shown while an initiative runs
MAX_UNION = 100  # quarters of movements read as one SELECT each (_by_day)
LEDGER_GAINED, LEDGER_LOST, LEDGER_NET = (
    Metric.Source.LEDGER_GAINED,
    Metric.Source.LEDGER_LOST,
    Metric.Source.LEDGER_NET,
)


@dataclass
class MetricFollowThrough:
    expectation: InitiativeExpectation
    before_period: Period
    before: Decimal | None
    now_period: Period
    now: Decimal | None
    trend: list[tuple[Period, Decimal | None]] = field(default_factory=list)

    @property
    def metric(self) -> Metric:
        return self.expectation.metric

    @property
    def moved(self) -> bool | None:
        """Better than before, in the metric's direction (None: no value to compare)."""
        return _moved(self.metric.direction, self.before, self.now)

    @property
    def reached(self) -> bool | None:
        if self.now is None:
            return None
        expected = self.expectation.expected_value
        return self.now >= expected if self.metric.direction == Metric.Direction.HIGHER else self.now <= expected


def _moved(direction: str, before: Decimal | None, now: Decimal | None) -> bool | None:
    if before is None or now is None:
        return None
    return now > before if direction == Metric.Direction.HIGHER else now < before


@dataclass
class LossReasonFollowThrough:
    name: str
    before: int
    now: int


@dataclass
class FollowThrough:
    initiative: Initiative
    metrics: list[MetricFollowThrough]
    loss_reasons: list[LossReasonFollowThrough]

    @property
    def did_not_move(self) -> bool:
        """Finished, with metrics to move, and not one of them moved."""
        return (
            self.initiative.status == Initiative.Status.DONE
            and bool(self.metrics)
            and not any(m.moved for m in self.metrics)
        )


class _Values:
    """Company values of metrics per quarter, each quarter read once (readings and ledger apart).

    `wanted`, when given, names the metrics each quarter will be asked for: a quarter then reads
    only those metrics' readings (a metric's value depends on its own readings alone, so the
    figures are the same), and only the quarters named are asked for. `known` gives, per quarter
    and department-level metric, the figures of departments whose snapshots are current
    (`Snapshots.departments`), added in; `read` the other departments, whose readings alone are read.
    """

    def __init__(
        self,
        metrics: dict[int, Metric],
        now: dt.datetime,
        *,
        wanted: dict[Period, set[int]] | None = None,
        known: dict[Period, dict[int, dict[int, MetricFigures]]] | None = None,
        read: dict[Period, dict[int, set[int]]] | None = None,
    ) -> None:
        self.metrics, self.now, self.cache, self.ledger, self.values = metrics, now, {}, {}, {}
        self.wanted, self.known, self.read = wanted, known or {}, read or {}

    def preload(self) -> None:
        """Read every (metric, quarter) of `wanted` at once: two queries for the readings, one for
        the ledger, however many quarters (a quarter at a time, a long initiative's timeline ran
        24 queries). A pair not read here is still read when asked."""
        metrics = self.metrics
        wanted = {p: ids for p, ids in (self.wanted or {}).items() if ids}
        reading = {p: {m for m in ids if not metrics[m].from_ledger} for p, ids in wanted.items()}
        reading = {p: ids for p, ids in reading.items() if ids and p not in self.cache}
        alike: dict[tuple, list[Period]] = defaultdict(list)  # quarters with the same departments to read
        for period in reading:
            alike[tuple(sorted((m, tuple(sorted(ids))) for m, ids in self.read.get(period, {}).items()))].append(period)
        for periods in alike.values():
            totals = reading_totals_by_period(
                metrics=metrics, wanted={p: reading[p] for p in periods}, departments=self.read.get(periods[0])
            )
            self.cache.update({period: totals.get(period, {}) for period in periods})
        ledger = [p for p, ids in wanted.items() if p not in self.ledger and any(metrics[m].from_ledger for m in ids)]
        if ledger:
            self.ledger.update(_ledger_counts(ledger))

    def get(self, metric: Metric, period: Period) -> Decimal | None:
        # Asked once per initiative and quarter: hundreds of initiatives share a few metrics and quarters.
        key = (metric.pk, period)
        if key not in self.values:
            self.values[key] = self._ledger(metric, period) if metric.from_ledger else self._value(metric, period)
        return self.values[key]

    def _value(self, metric: Metric, period: Period) -> Decimal | None:
        if period not in self.cache:
            metric_ids = self.metrics if self.wanted is None else self.wanted[period]
            metrics = {m: self.metrics[m] for m in metric_ids}
            read = self.read.get(period)
            totals = reading_totals_by_period(metrics=metrics, wanted={period: None}, departments=read)
            self.cache[period] = totals.get(period, {})
        if self.wanted is not None and metric.pk not in self.wanted[period]:
            raise KeyError(f"{metric} in {period} was not announced to _Values")  # a programming error
        totals = self.cache[period]
        if metric.level == Metric.Level.COMPANY:
            figures = totals.get((metric.pk, None))
            return figures.value(metric.aggregation) if figures else None
        # The company value of a department-level metric adds up every department's (domain, step 4):
        # those known from their snapshots, and the others' from their readings.
        combined = MetricFigures()
        for figures in self.known.get(period, {}).get(metric.pk, {}).values():
            combined.add(figures)
        for (metric_id, department_id), figures in totals.items():
            if metric_id == metric.pk and department_id is not None:
                combined.add(figures)
        return combined.value(metric.aggregation)

    def _ledger(self, metric: Metric, period: Period) -> Decimal | None:
        """Customers gained, lost or net in the quarter, from the ledger; none without movements."""
        if period not in self.ledger:
            self.ledger.update(_ledger_counts([period]))
        counts = self.ledger[period]
        if not counts:
            return None
        gained, lost = counts.get(CustomerMovement.Kind.GAINED, 0), counts.get(CustomerMovement.Kind.LOST, 0)
        value = {LEDGER_GAINED: gained, LEDGER_LOST: lost, LEDGER_NET: gained - lost}[metric.source]
        return Decimal(value)


def _ledger_counts(periods: list[Period]) -> dict[Period, dict[str, int]]:
    """Customers per movement kind in each of these quarters, with one query however many."""
    counts: dict[Period, dict[str, int]] = {period: {} for period in periods}
    for kind, date, n in _by_day(CustomerMovement.objects.all(), "kind", periods):
        period = next(p for p in periods if p.start <= date <= p.end)
        counts[period][kind] = counts[period].get(kind, 0) + n
    return counts


def _by_day(movements, field: str, periods) -> list[tuple]:
    """(field, date, customers) of these movements in each period, summed by day: one query, a
    SELECT per period in a UNION ALL, each reading its range of the covering date index. The same
    ranges OR-ed together made SQLite read the whole index (90 ms for two quarters at 100x the demo).
    Past MAX_UNION periods (SQLite takes 500 SELECTs in one), one range from the first to the last."""
    ordered = sorted(set(periods), key=lambda p: p.start)
    if len(ordered) > MAX_UNION:
        rows = _summed_by_day(movements.filter(date__gte=ordered[0].start, date__lte=ordered[-1].end), field)
        return [row for row in rows if any(p.start <= row[1] <= p.end for p in ordered)]
    parts = [_summed_by_day(movements.filter(date__gte=p.start, date__lte=p.end), field) for p in ordered]
    return list(parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True))


def _summed_by_day(movements, field: str):
    return movements.values_list(field, "date").annotate(n=Sum("count")).order_by()


def _periods(initiative: Initiative, today: dt.date) -> tuple[Period, list[Period], Period]:
    """The quarter before the start, the quarters while it runs (to today), and the 'now' quarter."""
    before, now = _before_and_now(initiative.start_date, initiative.end_date, today)
    last_running = Period.containing(min(initiative.end_date, today))
    running, period = [], Period.containing(initiative.start_date)
    while period.start <= last_running.start:
        running.append(period)
        period = period.next
    return before, running[-MAX_TREND:], now


@functools.lru_cache(maxsize=4096)
def _before_and_now(start: dt.date, end: dt.date, today: dt.date) -> tuple[Period, Period]:
    """The quarter before the start, and the quarter after the end once it has begun, else the
    latest quarter while it ran (the quarter before if it has not started). Cached: thousands of
    finished initiatives share a few dates, and making a Period checks its kind."""
    before = Period.containing(start).previous
    after = Period.containing(end).next
    if after.start <= today:
        return before, after
    last_running = Period.containing(min(end, today))
    return before, last_running if Period.containing(start).start <= last_running.start else before


def _lost_by_quarter(reason_ids: set[int], quarters: set[Period]) -> dict[tuple[int, Period], int]:
    """Customers lost per (loss reason, quarter) in these quarters: one query for every initiative
    looked at, reading those quarters only (not every day between the first and the last: a long
    initiative's timeline read two years of movements for two quarters). Added up here once:
    summing the rows again for each initiative and quarter took most of a department's meeting
    pack at 100x the demo."""
    rows = CustomerMovement.objects.filter(kind=CustomerMovement.Kind.LOST, loss_reason_id__in=reason_ids)
    lost: dict[tuple[int, dt.date], int] = defaultdict(int)
    for reason_id, day, n in _by_day(rows, "loss_reason_id", quarters):
        lost[(reason_id, quarter_start(day))] += n
    return {(reason_id, Period(PeriodKind.QUARTER, first)): n for (reason_id, first), n in lost.items()}


def _metrics(
    initiative: Initiative, expectations, values: _Values, today: dt.date, *, trend: bool = True
) -> list[MetricFollowThrough]:
    if trend:
        before, running, current = _periods(initiative, today)
    else:
        (before, current), running = _before_and_now(initiative.start_date, initiative.end_date, today), []
    return [
        MetricFollowThrough(
            expectation=e,
            before_period=before,
            before=values.get(e.metric, before),
            now_period=current,
            now=values.get(e.metric, current),
            trend=[(p, values.get(e.metric, p)) for p in running],
        )
        for e in expectations
    ]


def follow_through_get(*, initiative: Initiative, now: dt.datetime | None = None) -> FollowThrough:
    """One initiative's follow-through: its metrics against its case, and its loss reasons before and now."""
    return follow_through_many(initiatives=[initiative], now=now)[0]


def follow_through_many(*, initiatives: list[Initiative], now: dt.datetime | None = None) -> list[FollowThrough]:
    """Follow-through of several initiatives, in their order; each quarter and the ledger read once for all."""
    if not initiatives:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    prefetch_related_objects(initiatives, "expectations__metric", "loss_reasons")
    spans = {i.pk: _periods(i, today) for i in initiatives}
    # Each quarter's value from the company snapshot where that is current (as the dashboard reads
    # them: did_not_move_latest), the other (metric, quarter) pairs from the readings, all at once.
    metrics = {e.metric_id: e.metric for i in initiatives for e in i.expectations.all()}
    wanted: dict[Period, set[int]] = defaultdict(set)
    for initiative in initiatives:
        before, running, current = spans[initiative.pk]
        for period in (before, *running, current):
            wanted[period].update(e.metric_id for e in initiative.expectations.all())
    values = _values_from_snapshots(metrics, wanted, now)
    values.preload()
    reason_ids = {r.pk for i in initiatives for r in i.loss_reasons.all()}
    lost: dict[tuple[int, Period], int] = {}
    if reason_ids:
        quarters = {period for before, _running, current in spans.values() for period in (before, current)}
        lost = _lost_by_quarter(reason_ids, quarters)
    results = []
    for initiative in initiatives:
        before, _running, current = spans[initiative.pk]
        reasons = sorted(initiative.loss_reasons.all(), key=lambda r: r.name)
        loss_reasons = [
            LossReasonFollowThrough(r.name, lost.get((r.pk, before), 0), lost.get((r.pk, current), 0)) for r in reasons
        ]
        metrics = _metrics(initiative, list(initiative.expectations.all()), values, today)
        results.append(FollowThrough(initiative=initiative, metrics=metrics, loss_reasons=loss_reasons))
    return results


def did_not_move_latest(*, limit: int | None = None, now: dt.datetime | None = None) -> tuple[list[FollowThrough], int]:
    """The `limit` (default: all) finished initiatives that ended last among those whose metrics
    did not move, and how many did not move: a fixed number of queries.

    Whether a metric moved takes its value before and now, not its trend (the results carry
    none; `follow_through_many` gives it). Every finished initiative is judged from plain rows
    (its dates and metrics); only those returned are loaded as objects. A value is read from the
    quarter's company snapshot where that is current (`snapshot_figures`); only the other
    (metric, quarter) pairs are computed from the readings, each quarter only for the metrics
    asked of it. At 100x the demo, reading the readings of every quarter and loading every
    finished initiative took seconds of the dashboard.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = InitiativeExpectation.objects.filter(initiative__status=Initiative.Status.DONE).values_list(
        "initiative_id", "initiative__start_date", "initiative__end_date", "metric_id"
    )
    # Thousands of initiatives share a few (before, now) spans: each span is numbered, and each
    # (span, metric) judged once.
    numbers: dict[tuple[dt.date, dt.date], int] = {}
    spans: dict[tuple[Period, Period], int] = {}
    expected: dict[int, tuple[int, list[int]]] = {}
    ends: dict[int, dt.date] = {}
    for initiative_id, start, end, metric_id in rows.order_by():
        if (start, end) not in numbers:
            numbers[(start, end)] = spans.setdefault(_before_and_now(start, end, today), len(spans))
        expected.setdefault(initiative_id, (numbers[(start, end)], []))[1].append(metric_id)
        ends[initiative_id] = end
    if not expected:
        return [], 0
    pairs = {(span, m) for span, metric_ids in expected.values() for m in metric_ids}
    periods = list(spans)  # by number
    wanted: dict[Period, set[int]] = defaultdict(set)
    for span, metric_id in pairs:
        for period in periods[span]:
            wanted[period].add(metric_id)
    metrics = Metric.objects.in_bulk({m for _span, m in pairs})
    values = _values_from_snapshots(metrics, wanted, now)
    moved = {
        (span, m): _moved(
            metrics[m].direction, values.get(metrics[m], periods[span][0]), values.get(metrics[m], periods[span][1])
        )
        for span, m in pairs
    }
    flagged = [
        initiative_id
        for initiative_id, (span, metric_ids) in expected.items()
        if not any(moved[(span, m)] for m in metric_ids)
    ]
    shown = Initiative.objects.filter(pk__in=_latest_to_end(flagged, ends, limit))
    shown = shown.select_related("owner").order_by("-end_date", "title")
    shown = list(shown if limit is None else shown[:limit])
    prefetch_related_objects(shown, "expectations__metric")
    results = [FollowThrough(i, _metrics(i, list(i.expectations.all()), values, today, trend=False), []) for i in shown]
    return results, len(flagged)


def _latest_to_end(flagged: list[int], ends: dict[int, dt.date], limit: int | None) -> list[int]:
    """Those of `flagged` that may be among the `limit` that ended last: every one ending on or
    after the limit-th latest end date (ties kept: the database orders them by title, in its own
    collation). Naming thousands of ids to the database took longer than choosing here."""
    if limit is None or len(flagged) <= limit:
        return flagged
    cutoff = sorted((ends[pk] for pk in flagged), reverse=True)[limit - 1]
    return [pk for pk in flagged if ends[pk] >= cutoff]


def _values_from_snapshots(metrics: dict[int, Metric], wanted: dict[Period, set[int]], now: dt.datetime) -> _Values:
    """The `_Values` of these (metric, quarter) pairs, with what current snapshots already know."""
    snapshots = snapshot_figures(metrics=metrics, wanted=wanted, now=now) if metrics else Snapshots()
    for metric_id, period in snapshots.values:
        wanted[period].discard(metric_id)
    values = _Values(metrics, now, wanted=dict(wanted), known=snapshots.departments, read=snapshots.read)
    values.values.update(snapshots.values)
    return values


@dataclass
class Snapshots:
    """What current snapshots tell of the company values `_Values` would compute.

    `values`: (metric, quarter) → the company value, from a current company snapshot.
    `departments`: quarter → department-level metric → department → its figures, from current
    department snapshots, in quarters whose company snapshot waits for a recompute; `read`: for
    those, the other departments, whose readings are to be read.
    """

    values: dict[tuple[int, Period], Decimal | None] = field(default_factory=dict)
    departments: dict[Period, dict[int, dict[int, MetricFigures]]] = field(default_factory=dict)
    read: dict[Period, dict[int, set[int]]] = field(default_factory=dict)


def snapshot_figures(*, metrics: dict[int, Metric], wanted: dict[Period, set[int]], now: dt.datetime) -> Snapshots:
    """Company values of reading metrics per quarter, from current snapshots: at most three queries.

    The scored line of a metric on a company snapshot keeps the value from its readings alone,
    unrounded, and the metric's settings it was read with (`metric_lines._as_read`): the same
    figure `_Values` computes, as long as nothing changed since. So a pair is read from there
    only when the snapshot is not stale (no recompute asked for its period and not yet done,
    not closed with a recompute asked since: `Scorecard.outdated`) and the metric is still active with
    the same source, aggregation, level and range. Ledger metrics are left to the ledger.

    In the seconds after an edit the company's snapshot of the quarter is stale, but only the
    edited departments' are: a department line keeps the figures behind its value too, and every
    edit of a department's readings asks a recompute of that department (org.stale). So the other
    departments' figures of a department-level metric are read from their current snapshots, and
    only the stale departments' (and those without a snapshot) from the readings. At 100x the
    demo the dashboard then reads one department's readings instead of fifty's.
    """
    periods = [p for p in wanted if p.kind == PeriodKind.QUARTER]
    if not periods:
        return Snapshots()
    stale, stale_departments = _stale(now)
    lines = ScorecardLine.objects.filter(
        part=ScorecardLine.Part.METRIC,
        metric_id__in=sorted(metrics),
        scorecard__scope=Scorecard.Scope.COMPANY,
        scorecard__period_kind=PeriodKind.QUARTER,
        scorecard__period_start__in=[p.start for p in periods],
        scorecard__outdated=False,
    ).values_list("scorecard__period_start", "metric_id", "inputs")
    found = Snapshots()
    for start, metric_id, inputs in lines:
        period, metric = Period(PeriodKind.QUARTER, start), metrics[metric_id]
        if period in stale or metric_id not in wanted.get(period, ()):
            continue
        value = _as_read(metric, inputs)
        if value is not _UNKNOWN:
            found.values[(metric_id, period)] = value
    waiting = [p for p in periods if p in stale]
    by_department = sorted(m.pk for m in metrics.values() if m.level == Metric.Level.DEPARTMENT)
    if waiting and by_department:
        found.departments = _department_figures(metrics, wanted, waiting, by_department, stale_departments)
        if found.departments:
            every = set(Department.objects.values_list("pk", flat=True))
            found.read = {
                period: {metric_id: every - set(figures) for metric_id, figures in by_metric.items()}
                for period, by_metric in found.departments.items()
            }
    return found


def _department_figures(
    metrics: dict[int, Metric],
    wanted: dict[Period, set[int]],
    periods: list[Period],
    metric_ids: list[int],
    stale_departments: dict[Period, set[int]],
) -> dict[Period, dict[int, dict[int, MetricFigures]]]:
    """Figures of department-level metrics from current department snapshots of these quarters: one query."""
    lines = ScorecardLine.objects.filter(
        part=ScorecardLine.Part.METRIC,
        metric_id__in=metric_ids,
        scorecard__scope=Scorecard.Scope.DEPARTMENT,
        scorecard__period_kind=PeriodKind.QUARTER,
        scorecard__period_start__in=[p.start for p in periods],
        scorecard__outdated=False,
    ).values_list("scorecard__period_start", "scorecard__department_id", "metric_id", "inputs")
    known: dict[Period, dict[int, dict[int, MetricFigures]]] = defaultdict(lambda: defaultdict(dict))
    for start, department_id, metric_id, inputs in lines:
        period = Period(PeriodKind.QUARTER, start)
        if department_id in stale_departments.get(period, ()) or metric_id not in wanted.get(period, ()):
            continue
        if _as_read(metrics[metric_id], inputs) is _UNKNOWN:
            continue
        figures = inputs["as_read"].get("figures")
        if figures is not None:  # a line written before lines kept their figures
            known[period][metric_id][department_id] = _figures_of(figures)
    return {period: dict(by_metric) for period, by_metric in known.items()}


def _figures_of(kept: list) -> MetricFigures:
    """The figures `metric_lines._as_read` kept: total, dates, readings, last, last date."""
    total, dates, readings, last, last_date = kept
    return MetricFigures(
        total=Decimal(total),
        dates=dates,
        readings=readings,
        last=None if last is None else Decimal(last),
        last_date=None if last_date is None else dt.date.fromisoformat(last_date),
        last_parts=0 if last is None else 1,
    )


_UNKNOWN = object()


def _as_read(metric: Metric, inputs: dict):
    """The line's value from the readings if it still holds for the metric as it is now, else _UNKNOWN."""
    as_read = inputs.get("as_read") if isinstance(inputs, dict) else None
    if not as_read or not metric.active or metric.from_ledger:
        return _UNKNOWN
    settings_then = (inputs.get("source"), inputs.get("aggregation"), as_read.get("level"))
    range_then = (as_read.get("min"), as_read.get("max"))
    range_now = tuple(None if v is None else str(v) for v in (metric.min_value, metric.max_value))
    if settings_then != (metric.source, metric.aggregation, metric.level) or range_then != range_now:
        return _UNKNOWN
    return None if as_read.get("value") is None else Decimal(as_read["value"])


def _stale(now: dt.datetime) -> tuple[set[Period], dict[Period, set[int]]]:
    """Periods whose snapshots a recompute was asked for and not yet done (org.stale), and per
    period the departments asked for. The company is part of every request."""
    periods: set[Period] = set()
    departments: dict[Period, set[int]] = defaultdict(set)
    requests = RecomputeRequest.objects.values_list("department_id", "period_kind", "period_start").distinct()
    for department_id, kind, start in requests:
        if start is None:  # the current month and quarter; the quarter just ended too, to be safe
            asked = {p for c in current_periods(now=now) for p in (c, c.previous)}
        else:
            asked = {Period(kind, start)}
        periods |= asked
        if department_id is not None:
            for period in asked:
                departments[period].add(department_id)
    return periods, departments
