"""The demo's customer history: 24 months of movements (gains and losses with reasons) and the
company figures that follow from them (customers, gained, lost, retention, revenue, cost to serve).

The movements are generated first; the company readings are then computed from them, so the
ledger and the metrics tell the same story.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field, replace

from demo import catalogue
from org.models import Department

DEFAULT_MOVEMENTS = 400
MONTHS = 24


@dataclass(frozen=True)
class Movement:
    date: dt.date
    kind: str
    segment: str
    department: str | None
    count: int
    revenue: float
    profit: float
    reason: str | None


@dataclass
class Month:
    """One month of the company's customers, per segment slug."""

    start: dt.date
    reading_date: dt.date  # month end, or today for the month in progress
    opening: dict[str, int]
    gained: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)
    revenue: dict[str, float] = field(default_factory=dict)
    cost: dict[str, float] = field(default_factory=dict)

    def closing(self, segment: str) -> int:
        return self.opening[segment] + self.gained.get(segment, 0) - self.lost.get(segment, 0)


def month_starts(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The first days of the `count` months ending with the current one."""
    index = today.year * 12 + today.month - 1 - (count - 1)
    return [dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(count)]


def month_end(start: dt.date) -> dt.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _movement(rng: random.Random, day: dt.date, segment: catalogue.SegmentSpec, extra: list[str]) -> Movement:
    gained = rng.random() < segment.gain_odds
    count = rng.randint(1, segment.max_count)
    revenue = round(count * segment.monthly_revenue * 12 * rng.uniform(0.7, 1.3), 2)
    profit = round(revenue * (1 - segment.cost_ratio), 2)
    if gained:
        slugs, weights = zip(*catalogue.GAIN_DEPARTMENTS, strict=True)
        department, reason = rng.choices(slugs, weights)[0], None
    else:
        reason, _, _, department = rng.choices(catalogue.LOSS_REASONS, [w for _, _, w, _ in catalogue.LOSS_REASONS])[0]
    if department and extra and rng.random() < 0.3:
        department = rng.choice(extra)  # larger demos: regional offices own some customers
    return Movement(day, "gained" if gained else "lost", segment.slug, department, count, revenue, profit, reason)


def customer_history(
    *, rng: random.Random, today: dt.date, departments: list[Department], movements: int
) -> tuple[list[Movement], list[Month]]:
    """`movements` ledger lines over 24 months, and the month-by-month figures they imply."""
    core = {slug for _, slug in catalogue.CORE_DEPARTMENTS}
    extra = [d.slug for d in departments if d.slug not in core]
    scale = max(1.0, movements / DEFAULT_MOVEMENTS)
    customers = {s.slug: int(s.customers * scale) for s in catalogue.SEGMENTS}
    starts = month_starts(today)
    lines: list[Movement] = []
    months: list[Month] = []
    for n, start in enumerate(starts):
        last_day = min(month_end(start), today)
        month = Month(start=start, reading_date=last_day, opening=dict(customers))
        for _ in range(movements // len(starts) + (n < movements % len(starts))):
            segment = rng.choices(catalogue.SEGMENTS, [s.share for s in catalogue.SEGMENTS])[0]
            day = start + dt.timedelta(days=rng.randint(0, (last_day - start).days))
            line = _movement(rng, day, segment, extra)
            if line.kind == "lost" and line.count >= month.closing(segment.slug):
                # Never lose a segment's last customers: keep the line count, make it a gain.
                line = replace(line, kind="gained", reason=None, department="sales")
            lines.append(line)
            book = month.gained if line.kind == "gained" else month.lost
            book[segment.slug] = book.get(segment.slug, 0) + line.count
        for spec in catalogue.SEGMENTS:
            customers[spec.slug] = month.closing(spec.slug)
            month.revenue[spec.slug] = round(customers[spec.slug] * spec.monthly_revenue * rng.uniform(0.95, 1.05), 2)
            month.cost[spec.slug] = round(month.revenue[spec.slug] * spec.cost_ratio * rng.uniform(0.95, 1.05), 2)
        months.append(month)
    return lines, months


def company_series(months: list[Month]) -> list[tuple[str, str | None, list[float]]]:
    """(metric code, segment slug or None, one value per month) of the company metrics."""
    slugs = [s.slug for s in catalogue.SEGMENTS]
    series: list[tuple[str, str | None, list[float]]] = [
        ("customers", None, [sum(m.closing(s) for s in slugs) for m in months]),
        ("customers_gained", None, [sum(m.gained.values()) for m in months]),
        ("customers_lost", None, [sum(m.lost.values()) for m in months]),
        ("retention", None, [_retention(m, slugs) for m in months]),
    ]
    series += [("customers", s, [m.closing(s) for m in months]) for s in slugs]
    series += [("revenue", s, [m.revenue[s] for m in months]) for s in slugs]
    series += [("cost_to_serve", s, [m.cost[s] for m in months]) for s in slugs]
    return series


def _retention(month: Month, slugs: list[str]) -> float:
    opening = sum(month.opening[s] for s in slugs)
    closing = sum(month.closing(s) for s in slugs)
    return round(100 * (closing - sum(month.gained.values())) / opening, 2) if opening else 100.0
