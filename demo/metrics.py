"""The demo's metric readings and targets: department metrics follow an improving trend with
noise; company metrics come from the customer history (see `demo.customers`)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from statistics import fmean

from core.periods import Period, PeriodKind
from demo import catalogue
from demo.customers import Month, company_series
from org.models import Department

DepartmentSeries = tuple[catalogue.MetricSpec, Department]


def department_series(departments: list[Department]) -> list[DepartmentSeries]:
    """Which department reports which metric: the core six as catalogued, others NPS plus one."""
    series = [(spec, d) for spec in catalogue.DEPARTMENT_METRICS for d in departments if d.slug in spec.departments]
    core = {slug for _, slug in catalogue.CORE_DEPARTMENTS}
    others = catalogue.DEPARTMENT_METRICS[1:]
    for n, department in enumerate(d for d in departments if d.slug not in core):
        series += [(catalogue.DEPARTMENT_METRICS[0], department), (others[n % len(others)], department)]
    return series


def spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers."""
    return [total // parts + (n < total % parts) for n in range(parts)] if parts else []


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _trend(spec: catalogue.MetricSpec, t: float, offset: float) -> float:
    value = spec.start + (spec.end - spec.start) * t + offset
    return min(value, 100.0) if spec.unit == "%" else value


def department_readings(
    *, rng: random.Random, today: dt.date, months: list[Month], series: list[DepartmentSeries], counts: list[int]
) -> Iterator[dict]:
    """Readings of each department series: one a month when the count is 24, else evenly spaced."""
    first = months[0].start
    span = max(1, (today - first).days)
    for (spec, department), count in zip(series, counts, strict=True):
        offset = rng.uniform(-0.1, 0.1) * spec.start
        for n in range(count):
            if count == len(months):
                day = months[n].reading_date
            else:
                day = first + dt.timedelta(days=int((n + 0.5) * span / count))
            value = max(0.0, _trend(spec, (day - first).days / span, offset) + rng.gauss(0, spec.noise))
            yield {
                "metric": spec.code,
                "department_id": department.pk,
                "segment": None,
                "date": day,
                "value": _decimal(min(value, 100.0) if spec.unit == "%" else value),
                "source": spec.source,
                "entered_by_id": department.head_id,
            }


def company_readings(*, months: list[Month]) -> Iterator[dict]:
    """Readings of the company metrics, except those the engine derives from the movement ledger."""
    sources = {spec.code: spec.source for spec in catalogue.COMPANY_METRICS if spec.ledger == "readings"}
    for code, segment, values in company_series(months):
        if code not in sources:
            continue
        for month, value in zip(months, values, strict=True):
            yield {
                "metric": code,
                "department_id": None,
                "segment": segment,
                "date": month.reading_date,
                "value": _decimal(value),
                "source": sources[code],
                "entered_by_id": None,
            }


def _periods(first: dt.date, last: dt.date) -> list[Period]:
    periods = []
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        period = Period.containing(first, kind)
        while period.start <= last:
            periods.append(period)
            period = period.next
    return periods


def _thresholds(spec: catalogue.MetricSpec, base: float) -> tuple[Decimal, Decimal]:
    """(target, amber threshold) a little better and a little worse than `base`."""
    if spec.direction == "higher":
        target = min(base * 1.04, (base + 100) / 2) if spec.unit == "%" else base * 1.04
        return _decimal(target), _decimal(min(base * 0.96, target - 0.01))
    return _decimal(base * 0.96), _decimal(base * 1.05 + 0.01)


def _aggregate(spec: catalogue.MetricSpec, values: list[float]) -> float:
    return {"sum": sum, "last": lambda v: v[-1], "avg": fmean}[spec.aggregation](values)


def targets(*, today: dt.date, months: list[Month], series: list[DepartmentSeries], until: dt.date) -> Iterator[dict]:
    """Monthly and quarterly targets from the first demo month to `until` (the end of the year)."""
    first = months[0].start
    span = max(1, (today - first).days)
    periods = _periods(first, until)
    for spec, department in series:
        for period in periods:
            middle = period.start + (period.end - period.start) / 2
            base = _trend(spec, min(1.3, (middle - first).days / span), 0)
            target, amber = _thresholds(spec, base)
            yield _target(spec.code, department, period, target, amber)
    company = {spec.code: spec for spec in catalogue.COMPANY_METRICS}
    totals: dict[str, list[float]] = {}
    for code, segment, values in company_series(months):
        if segment is None or code in ("revenue", "cost_to_serve"):
            totals[code] = [a + b for a, b in zip(totals.get(code, [0.0] * len(values)), values, strict=True)]
    for code, values in totals.items():
        spec = company[code]
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            by_period: dict[Period, list[float]] = {}
            for month, value in zip(months, values, strict=True):
                by_period.setdefault(Period.containing(month.start, kind), []).append(value)
            history = [_aggregate(spec, v) for v in by_period.values()]
            target, amber = _thresholds(spec, fmean(history))
            yield from (_target(code, None, p, target, amber) for p in periods if p.kind == kind)


def _target(code: str, department: Department | None, period: Period, target: Decimal, amber: Decimal) -> dict:
    return {
        "metric": code,
        "department_id": department.pk if department else None,
        "period_kind": period.kind,
        "period_start": period.start,
        "target_value": target,
        "amber_threshold": amber,
    }
