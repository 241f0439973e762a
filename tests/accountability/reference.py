"""The scorecard formulas of docs/domain.md, computed again in plain Python.

Written from the document, not from the engine: nothing here imports or copies
`accountability/scorecards/`. The inputs are plain dataclasses (the property test
`test_scorecard_reference.py` fills them from model rows read with `.values()`); every sum,
mean and ratio is worked out here, in `Decimal`, without the ORM.

Sections of docs/domain.md computed here:

- "Customer growth figures": gained, lost, net, S, E, retention, churn, money, loss reasons,
  and the "ledger and count differ" check;
- "Delivery figures": due, on time, late, overdue, on-time rate;
- "Metric value over a period and scope": rules 1 to 7;
- "Metric attainment score": score and colour, "no target", "no readings";
- "Overall score": delivery, metrics and growth parts, weights, colour.

Nothing is rounded here: the test rounds to the precision the engine stores.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

ZERO = Decimal(0)
HUNDRED = Decimal(100)
FIFTY = Decimal(50)

# Words of the models (plain strings, so that this module needs no Django).
DONE, CANCELLED = "done", "cancelled"
GAINED, LOST = "gained", "lost"
HIGHER, LOWER = "higher", "lower"
SUM, AVERAGE, LAST = "sum", "avg", "last"
COMPANY, DEPARTMENT, OWNER = "company", "department", "owner"
READINGS, LEDGER_GAINED, LEDGER_LOST, LEDGER_NET = "readings", "ledger_gained", "ledger_lost", "ledger_net"
STOCK_CODE = "customers"  # the stock of customers: "One truth for customers"
GREEN, AMBER, RED, NO_COLOUR = "green", "amber", "red", ""


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Period:
    """A month or a quarter: its kind, first day and last day (inclusive)."""

    kind: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Task:
    department: int
    owner: int | None
    status: str
    due_date: dt.date
    completed_at: dt.datetime | None  # aware


@dataclass(frozen=True)
class Reading:
    id: int
    metric: int
    department: int | None
    segment: int | None
    date: dt.date
    value: Decimal


@dataclass(frozen=True)
class Movement:
    kind: str
    count: int
    department: int | None
    segment: int
    date: dt.date
    revenue: Decimal = ZERO
    profit: Decimal = ZERO
    loss_reason: int | None = None


@dataclass(frozen=True)
class Metric:
    id: int
    code: str
    direction: str
    aggregation: str
    level: str
    weight: Decimal
    source: str = READINGS
    active: bool = True


@dataclass(frozen=True)
class Target:
    metric: int
    department: int | None
    period_kind: str
    period_start: dt.date
    target_value: Decimal
    amber_threshold: Decimal


@dataclass(frozen=True)
class Settings:
    delivery_weight: Decimal = Decimal(2)
    growth_weight: Decimal = Decimal(2)
    green_from: Decimal = Decimal(80)
    amber_from: Decimal = Decimal(50)


@dataclass
class Data:
    """Everything the formulas read."""

    tasks: Sequence[Task] = ()
    readings: Sequence[Reading] = ()
    movements: Sequence[Movement] = ()
    metrics: Sequence[Metric] = ()
    targets: Sequence[Target] = ()
    settings: Settings = field(default_factory=Settings)


@dataclass(frozen=True)
class Scope:
    """The company (no department, no owner), one department, or one owner."""

    kind: str
    department: int | None = None
    owner: int | None = None


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Delivery:
    due: int
    on_time: int
    late: int
    overdue: int
    on_time_rate: Decimal | None
    score: Decimal | None


@dataclass
class Growth:
    gained: int
    lost: int
    net: int
    revenue_gained: Decimal
    revenue_lost: Decimal
    profit_gained: Decimal
    profit_lost: Decimal
    has_movements: bool
    score: Decimal | None
    start: Decimal | None  # S
    end: Decimal | None  # E
    retention_rate: Decimal | None
    churn_rate: Decimal | None
    loss_reasons: dict[int, tuple[int, Decimal]]  # reason -> (lost, share of all losses)
    ledger_count_difference: Decimal | None  # the count read on d - (S + net up to d); None: not checked


@dataclass
class MetricResult:
    metric: Metric
    value: Decimal | None
    target: Target | None
    score: Decimal | None
    colour: str

    @property
    def no_target(self) -> bool:
        return self.target is None

    @property
    def no_value(self) -> bool:
        return self.value is None


@dataclass
class Card:
    scope: Scope
    delivery: Delivery
    growth: Growth | None  # None on an owner's card: not measured per owner
    metrics: dict[int, MetricResult]  # by metric id
    metrics_score: Decimal | None
    overall: Decimal | None
    overall_colour: str


# ---------------------------------------------------------------------------------------------
# Small helpers


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The date of an aware moment in the organisation's time zone."""
    if moment.tzinfo is None:
        raise ValueError("completion times must be aware")
    return moment.astimezone(zone).date()


def mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return sum(values, ZERO) / len(values)


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ w·s / Σ w over (weight, score) pairs; None when there are none or the weights add up to 0."""
    pairs = list(pairs)
    total_weight = sum((w for w, _ in pairs), ZERO)
    if not pairs or total_weight == 0:
        return None
    return sum((w * s for w, s in pairs), ZERO) / total_weight


def band(score: Decimal | None) -> str:
    """A part's colour: 100 green, 50 up to 100 amber, below 50 red ("Metric attainment score")."""
    if score is None:
        return NO_COLOUR
    if score >= HUNDRED:
        return GREEN
    if score >= FIFTY:
        return AMBER
    return RED


def overall_colour(score: Decimal | None, settings: Settings) -> str:
    """Overall colour: green from `green_from`, amber from `amber_from`, red below."""
    if score is None:
        return NO_COLOUR
    if score >= settings.green_from:
        return GREEN
    if score >= settings.amber_from:
        return AMBER
    return RED


# ---------------------------------------------------------------------------------------------
# Delivery figures


def delivery(tasks: Iterable[Task], period: Period, today: dt.date, zone: ZoneInfo) -> Delivery:
    """due / on time / late / overdue / on-time rate; delivery = 100 x on-time rate."""
    due = [t for t in tasks if t.due_date in period and t.status != CANCELLED]
    on_time = late = overdue = 0
    for task in due:
        if task.status == DONE:
            if task.completed_at is None:
                raise ValueError("a done task has a completion time")
            if local_date(task.completed_at, zone) <= task.due_date:
                on_time += 1
            else:
                late += 1
        elif task.due_date < today:
            overdue += 1
    rate = Decimal(on_time) / Decimal(len(due)) if due else None
    return Delivery(
        due=len(due),
        on_time=on_time,
        late=late,
        overdue=overdue,
        on_time_rate=rate,
        score=None if rate is None else HUNDRED * rate,
    )


# ---------------------------------------------------------------------------------------------
# Metric value over a period and scope


def _one_value(aggregation: str, readings: Sequence[Reading]) -> Decimal:
    """Rule 1: the readings of one date and one segment make one value."""
    if aggregation == SUM:
        return sum((r.value for r in readings), ZERO)
    if aggregation == AVERAGE:
        return mean(r.value for r in readings)
    if aggregation == LAST:
        return max(readings, key=lambda r: r.id).value  # the latest entered
    raise ValueError(f"unknown aggregation {aggregation!r}")


def date_totals(aggregation: str, readings: Iterable[Reading]) -> dict[dt.date, Decimal]:
    """Rules 1 and 2: one total per date (the unsegmented value, else the sum of the segment values).

    `readings` are of one metric and one scope (one department, or the company's own).
    """
    by_date_segment: dict[dt.date, dict[int | None, list[Reading]]] = defaultdict(lambda: defaultdict(list))
    for reading in readings:
        by_date_segment[reading.date][reading.segment].append(reading)
    totals = {}
    for day, by_segment in by_date_segment.items():
        values = {segment: _one_value(aggregation, rs) for segment, rs in by_segment.items()}
        if None in values:
            totals[day] = values[None]
        else:
            totals[day] = sum(values.values(), ZERO)
    return totals


def period_value(aggregation: str, totals: dict[dt.date, Decimal]) -> Decimal | None:
    """Rule 3: sum of the date totals, their mean, or the total of the latest date."""
    if not totals:
        return None
    if aggregation == SUM:
        return sum(totals.values(), ZERO)
    if aggregation == AVERAGE:
        return mean(totals.values())
    if aggregation == LAST:
        return totals[max(totals)]
    raise ValueError(f"unknown aggregation {aggregation!r}")


def company_value_of_department_metric(
    aggregation: str, totals_by_department: dict[int, dict[dt.date, Decimal]]
) -> Decimal | None:
    """Rule 4: a department-level metric on the company scorecard."""
    totals_by_department = {d: t for d, t in totals_by_department.items() if t}
    if not totals_by_department:
        return None
    every_total = [v for totals in totals_by_department.values() for v in totals.values()]
    if aggregation == SUM:
        return sum(every_total, ZERO)
    if aggregation == AVERAGE:
        return mean(every_total)
    if aggregation == LAST:
        return sum((totals[max(totals)] for totals in totals_by_department.values()), ZERO)
    raise ValueError(f"unknown aggregation {aggregation!r}")


def readings_value(metric: Metric, readings: Iterable[Reading], period: Period, scope: Scope) -> Decimal | None:
    """Rules 1 to 4: v from the readings dated in the period, of the scope."""
    mine = [r for r in readings if r.metric == metric.id and r.date in period]
    if scope.kind == DEPARTMENT:
        return period_value(
            metric.aggregation, date_totals(metric.aggregation, [r for r in mine if r.department == scope.department])
        )
    if scope.kind != COMPANY:
        raise ValueError("metrics are not measured per owner")
    if metric.level == COMPANY:
        return period_value(
            metric.aggregation, date_totals(metric.aggregation, [r for r in mine if r.department is None])
        )
    by_department: dict[int, list[Reading]] = defaultdict(list)
    for reading in mine:
        if reading.department is not None:
            by_department[reading.department].append(reading)
    return company_value_of_department_metric(
        metric.aggregation, {d: date_totals(metric.aggregation, rs) for d, rs in by_department.items()}
    )


def segment_value(
    metric: Metric, readings: Iterable[Reading], period: Period, scope: Scope, segment: int
) -> Decimal | None:
    """Rule 5: the same steps on one segment's values alone (segment lines; no score)."""
    return readings_value(metric, [r for r in readings if r.segment == segment], period, scope)


def in_scope_movements(movements: Iterable[Movement], scope: Scope) -> list[Movement]:
    """A department's own movements; the company's: every movement (with or without a department)."""
    if scope.kind == COMPANY:
        return list(movements)
    if scope.kind == DEPARTMENT:
        return [m for m in movements if m.department == scope.department]
    raise ValueError("movements are not measured per owner")


def ledger_value(metric: Metric, movements: Iterable[Movement], period: Period, scope: Scope) -> Decimal | None:
    """Rule 6: gained, lost or net of the movements of the period and scope; None without movements."""
    moved = [m for m in in_scope_movements(movements, scope) if m.date in period]
    if not moved:
        return None
    gained = sum(m.count for m in moved if m.kind == GAINED)
    lost = sum(m.count for m in moved if m.kind == LOST)
    return Decimal({LEDGER_GAINED: gained, LEDGER_LOST: lost, LEDGER_NET: gained - lost}[metric.source])


def metric_value(
    metric: Metric, data: Data, period: Period, scope: Scope, growth: Growth | None, started: bool
) -> Decimal | None:
    """v, the value a metric is scored on (rules 1 to 7)."""
    if metric.source != READINGS:
        return ledger_value(metric, data.movements, period, scope)
    if metric.code == STOCK_CODE and growth is not None and growth.end is not None and started:
        return growth.end  # rule 7: E = S + net where S is known and the period has begun
    return readings_value(metric, data.readings, period, scope)


# ---------------------------------------------------------------------------------------------
# Metric attainment score


def attainment(direction: str, value: Decimal, target: Decimal, amber: Decimal) -> Decimal:
    """The 0-100 score of v against target T and amber threshold A."""
    v, t, a = value, target, amber
    if direction == HIGHER:
        if v >= t:
            return HUNDRED
        if v >= a:
            return FIFTY + FIFTY * (v - a) / (t - a)
        if a <= 0:
            return ZERO
        return max(ZERO, FIFTY * v / a)
    if direction == LOWER:
        if v <= t:
            return HUNDRED
        if v <= a:
            return FIFTY + FIFTY * (a - v) / (a - t)
        if a <= 0:
            return ZERO
        return max(ZERO, FIFTY * (2 * a - v) / a)
    raise ValueError(f"unknown direction {direction!r}")


def target_of(metric: Metric, targets: Iterable[Target], period: Period, scope: Scope) -> Target | None:
    """A department: its own target for the period, else the company's. The company: the company's."""
    of_period = [
        t for t in targets if t.metric == metric.id and (t.period_kind, t.period_start) == (period.kind, period.start)
    ]
    company = [t for t in of_period if t.department is None]
    if scope.kind == DEPARTMENT:
        own = [t for t in of_period if t.department == scope.department]
        if own:
            return own[0]
    return company[0] if company else None


def metric_result(
    metric: Metric, data: Data, period: Period, scope: Scope, growth: Growth | None, started: bool
) -> MetricResult:
    value = metric_value(metric, data, period, scope, growth, started)
    target = target_of(metric, data.targets, period, scope)
    score = None
    if target is not None and value is not None:
        score = attainment(metric.direction, value, target.target_value, target.amber_threshold)
    return MetricResult(metric=metric, value=value, target=target, score=score, colour=band(score))


def metrics_on_card(metrics: Iterable[Metric], scope: Scope) -> list[Metric]:
    """The company: every active metric. A department: its department-level ones. An owner: none."""
    active = [m for m in metrics if m.active]
    if scope.kind == COMPANY:
        return active
    if scope.kind == DEPARTMENT:
        return [m for m in active if m.level == DEPARTMENT]
    return []


# ---------------------------------------------------------------------------------------------
# Customer growth figures


def stock_total_before(
    metric: Metric, readings: Iterable[Reading], department: int | None, day: dt.date
) -> Decimal | None:
    """The total of `customers` (rules 1 and 2) on the latest date before `day`, of one scope.

    A count dated on a day includes that day's movements, so the start of a period is the
    latest count dated before its first day.
    """
    mine = [r for r in readings if r.metric == metric.id and r.department == department and r.date < day]
    if not mine:
        return None
    latest = max(r.date for r in mine)
    return date_totals(metric.aggregation, [r for r in mine if r.date == latest])[latest]


def stock_start(stock: Metric | None, readings: Sequence[Reading], period: Period, scope: Scope) -> Decimal | None:
    """S: a department's own; the company's adds up the company-level total and every department's.

    The company's S is known when at least one of those totals is.
    """
    if stock is None:
        return None
    if scope.kind == DEPARTMENT:
        return stock_total_before(stock, readings, scope.department, period.start)
    departments = sorted({r.department for r in readings if r.metric == stock.id}, key=lambda d: (d is not None, d))
    known = [s for s in (stock_total_before(stock, readings, d, period.start) for d in departments) if s is not None]
    return sum(known, ZERO) if known else None


def stock_count_on(
    stock: Metric, readings: Sequence[Reading], period: Period, scope: Scope
) -> tuple[dt.date, Decimal] | None:
    """The count read in the period, (d, the total on d): d is the latest date with a reading of the scope.

    The company adds up, as rule 4 does for a stock, the last total in the period of each scope
    that has one (its own company-level readings and each department's); d is the latest of
    those dates. domain.md does not say this for the company in so many words.
    """
    mine = [r for r in readings if r.metric == stock.id and r.date in period]
    if scope.kind == DEPARTMENT:
        mine = [r for r in mine if r.department == scope.department]
    if not mine:
        return None
    by_department: dict[int | None, list[Reading]] = defaultdict(list)
    for reading in mine:
        by_department[reading.department].append(reading)
    last_totals = []
    for rs in by_department.values():
        totals = date_totals(stock.aggregation, rs)
        last_totals.append((max(totals), totals[max(totals)]))
    return max(day for day, _ in last_totals), sum((total for _, total in last_totals), ZERO)


def growth(data: Data, period: Period, scope: Scope, today: dt.date) -> Growth:
    movements = in_scope_movements(data.movements, scope)
    moved = [m for m in movements if m.date in period]
    gained = sum(m.count for m in moved if m.kind == GAINED)
    lost = sum(m.count for m in moved if m.kind == LOST)
    net = gained - lost
    if not moved:
        score = None
    elif lost == 0:
        score = HUNDRED
    else:
        score = HUNDRED * min(Decimal(1), Decimal(gained) / Decimal(lost))

    reasons: dict[int, int] = defaultdict(int)
    for m in moved:
        if m.kind == LOST and m.loss_reason is not None:
            reasons[m.loss_reason] += m.count
    loss_reasons = {r: (n, Decimal(n) / Decimal(lost)) for r, n in reasons.items()}

    stock = next((m for m in data.metrics if m.code == STOCK_CODE), None)
    start = stock_start(stock, data.readings, period, scope)
    end = None if start is None else start + net
    retention = churn = None
    if start is not None and start != 0:
        retention = (end - gained) / start
        churn = Decimal(lost) / start

    difference = None
    if start is not None and stock is not None and period.start <= today:
        read = stock_count_on(stock, data.readings, period, scope)
        if read is not None:
            d, count = read
            up_to_d = [m for m in moved if m.date <= d]
            net_to_d = sum(m.count for m in up_to_d if m.kind == GAINED) - sum(
                m.count for m in up_to_d if m.kind == LOST
            )
            difference = count - (start + net_to_d)

    def money(kind: str, attr: str) -> Decimal:
        return sum((getattr(m, attr) for m in moved if m.kind == kind), ZERO)

    return Growth(
        gained=gained,
        lost=lost,
        net=net,
        revenue_gained=money(GAINED, "revenue"),
        revenue_lost=money(LOST, "revenue"),
        profit_gained=money(GAINED, "profit"),
        profit_lost=money(LOST, "profit"),
        has_movements=bool(moved),
        score=score,
        start=start,
        end=end,
        retention_rate=retention,
        churn_rate=churn,
        loss_reasons=loss_reasons,
        ledger_count_difference=difference,
    )


# ---------------------------------------------------------------------------------------------
# One scorecard


def scorecard(data: Data, period: Period, scope: Scope, *, today: dt.date, zone: ZoneInfo) -> Card:
    """Delivery, metric attainment, customer growth and the overall score of one period and scope."""
    if scope.kind == COMPANY:
        tasks = list(data.tasks)
    elif scope.kind == DEPARTMENT:
        tasks = [t for t in data.tasks if t.department == scope.department]
    else:
        tasks = [t for t in data.tasks if t.owner is not None and t.owner == scope.owner]
    deliv = delivery(tasks, period, today, zone)

    grow = growth(data, period, scope, today) if scope.kind != OWNER else None
    started = period.start <= today
    results = {m.id: metric_result(m, data, period, scope, grow, started) for m in metrics_on_card(data.metrics, scope)}

    scored = [(r.metric.weight, r.score) for r in results.values() if r.score is not None]
    settings = data.settings
    parts = []
    if deliv.score is not None:
        parts.append((settings.delivery_weight, deliv.score))
    parts += scored
    if grow is not None and grow.score is not None:
        parts.append((settings.growth_weight, grow.score))
    overall = weighted_mean(parts)
    return Card(
        scope=scope,
        delivery=deliv,
        growth=grow,
        metrics=results,
        metrics_score=weighted_mean(scored),
        overall=overall,
        overall_colour=overall_colour(overall, settings),
    )
