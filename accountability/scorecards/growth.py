"""Customer growth: gained, lost, net (by segment), money at stake, loss reasons, retention.

One grouped query returns every (department, segment, loss reason, kind) total of the
period's movements; a second their net per (department, date); a third the starting customer
count (the total of the metric `customers` on its latest date before the period's first day,
per department).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, Q, Sum, When

from accountability.scorecards.context import HUNDRED, Context
from accountability.scorecards.readings import starting_totals
from customers.models import CustomerMovement

CUSTOMERS_METRIC = "customers"
GAINED = CustomerMovement.Kind.GAINED
ZERO = Decimal(0)


@dataclass
class Growth:
    """The customer growth figures of one subject."""

    gained: int = 0
    lost: int = 0
    revenue_gained: Decimal = ZERO
    revenue_lost: Decimal = ZERO
    profit_gained: Decimal = ZERO
    profit_lost: Decimal = ZERO
    segments: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    start: Decimal | None = None
    daily_net: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def net(self) -> int:
        return self.gained - self.lost

    @property
    def has_movements(self) -> bool:
        return bool(self.gained or self.lost)

    @property
    def end(self) -> Decimal | None:
        return None if self.start is None else self.start + self.net

    @property
    def retention_rate(self) -> Decimal | None:
        """(E - gained) / S; no value when S is missing or 0."""
        if not self.start:
            return None
        return (self.end - self.gained) / self.start

    @property
    def churn_rate(self) -> Decimal | None:
        return None if not self.start else Decimal(self.lost) / self.start

    @property
    def score(self) -> Decimal | None:
        """100 · min(1, gained / lost); 100 when nothing was lost; none without movements."""
        if not self.has_movements:
            return None
        if not self.lost:
            return HUNDRED
        return HUNDRED * min(Decimal(1), Decimal(self.gained) / Decimal(self.lost))

    def net_until(self, day: dt.date) -> int:
        """Net customers of the movements dated up to and including `day` (within the period)."""
        return sum(n for date, n in self.daily_net.items() if date <= day)

    def add_row(self, row: dict) -> None:
        n, revenue, profit = row["n"], row["revenue"] or ZERO, row["profit"] or ZERO
        if row["kind"] == GAINED:
            self.gained += n
            self.revenue_gained += revenue
            self.profit_gained += profit
            self.segments[row["segment__name"]][0] += n
        else:
            self.lost += n
            self.revenue_lost += revenue
            self.profit_lost += profit
            self.segments[row["segment__name"]][1] += n
            self.reasons[row["loss_reason__name"] or "(no reason)"] += n

    def top_reasons(self) -> list[tuple[str, int, Decimal]]:
        """(reason, lost, share of all losses), largest first, then by name."""
        ordered = sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))
        return [(name, n, Decimal(n) / self.lost) for name, n in ordered if n]


def movement_rows(*, ctx: Context, where: Q) -> list[dict]:
    """The period's movement totals per department, segment, loss reason and kind."""
    return list(
        CustomerMovement.objects.filter(where, ctx.in_period)
        .values("department_id", "segment__rank", "segment__name", "loss_reason__name", "kind")
        .annotate(n=Sum("count"), revenue=Sum("revenue"), profit=Sum("profit"))
        .order_by("segment__rank", "segment__name")
    )


def movement_days(*, ctx: Context, where: Q) -> list[tuple[int | None, dt.date, int]]:
    """(department, date, net) of the period's movements: what "ledger and count differ" compares."""
    signed = Case(When(kind=GAINED, then=F("count")), default=-F("count"))
    rows = CustomerMovement.objects.filter(where, ctx.in_period).values("department_id", "date")
    return [(r["department_id"], r["date"], r["net"]) for r in rows.annotate(net=Sum(signed)).order_by()]


def starting_customers(*, ctx: Context, where: Q) -> dict[int | None, Decimal]:
    """Per department (None: company-level readings), the customers at the period's start.

    A count dated on a day includes that day's movements, so the start is the latest count
    dated before the first day: a count on the first day already holds movements of the period.
    """
    day_before = ctx.period.start - dt.timedelta(days=1)
    return starting_totals(metric_code=CUSTOMERS_METRIC, before=day_before, where=where)
