"""The budget's department totals, added up by the database in whole cents, are the lines' parts
rounded one by one and added up in Python, as the page added them before: the same to the cent,
half cents, the largest budgets and initiatives of many years included."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from core.periods import Period
from roadmap.budget import budget_get, budget_line_amount_in, budget_lines_in
from tests import factories

pytestmark = pytest.mark.django_db
LARGEST = Decimal("999999999999.99")  # 14 digits, 2 of them decimals


def _by_hand(period: Period) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """Each line's part rounded on its own, then added up: the reference."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in budget_lines_in(period=period).prefetch_related("metrics", "loss_reasons", "segments"):
        initiative = line.initiative
        part = budget_line_amount_in(
            budget=line.budget, start=initiative.start_date, end=initiative.end_date, period=period
        )
        totals[line.department.name][0] += part
        if not (line.metrics.all() or line.loss_reasons.all() or line.segments.all()):
            totals[line.department.name][1] += part
    rows = [(name, total, loose) for name, (total, loose) in sorted(totals.items())]
    return sum((total for _name, total, _loose in rows), Decimal(0)), rows


def _line(roadmap, department, start, days, budget, **purposes):
    initiative = factories.InitiativeFactory(
        roadmap=roadmap, start_date=start, end_date=start + dt.timedelta(days=days - 1)
    )
    return factories.InitiativeDepartmentFactory(
        initiative=initiative, department=department, budget=Decimal(budget), **purposes
    )


@pytest.fixture
def awkward(department, other_department):
    """Lines whose parts land on half cents, the largest budgets over a decade, and many random ones."""
    roadmap, fcr = factories.RoadmapFactory(), factories.MetricFactory()
    third = factories.DepartmentFactory(name="Billing and collections")
    march_31 = dt.date(2026, 3, 31)  # two-day lines from here share one day with Q2
    for budget in ("0.01", "0.03", "0.05", "0.07", "1.01", "12345678901.23"):
        _line(roadmap, department, march_31, 2, budget)  # half a cent, rounded up
    _line(roadmap, other_department, march_31, 2, "0.05", metrics=[fcr])
    _line(roadmap, department, dt.date(2020, 1, 1), 3653, LARGEST)  # ten years of the largest budget
    _line(roadmap, other_department, dt.date(2026, 4, 1), 1, LARGEST, metrics=[fcr])
    _line(roadmap, third, dt.date(2026, 5, 17), 1, "0")
    chance = random.Random(18)
    for _ in range(60):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=chance.randrange(0, 730))
        budget = Decimal(chance.randrange(0, 10 ** chance.randrange(1, 15))).scaleb(-2)
        purposes = {"metrics": [fcr]} if chance.random() < 0.3 else {}
        department_ = chance.choice([department, other_department, third])
        _line(roadmap, department_, start, chance.randrange(1, 1500), budget, **purposes)


@pytest.mark.parametrize("period", ["2026-Q2", "2026-04", "2026-05", "2025-Q4", "2026-Q4", "2027-Q1", "2019-Q1"])
def test_department_totals_are_the_lines_parts_added_up_to_the_cent(awkward, period):
    period = Period.parse(period)
    total, rows = _by_hand(period)
    budget = budget_get(period=period)
    assert budget.total == total
    assert [(d.name, in_period, loose) for d, in_period, loose in budget.by_department] == rows


def test_half_cents_round_up_line_by_line(department):
    roadmap = factories.RoadmapFactory()
    for budget in ("0.01", "0.05", "0.05"):
        _line(roadmap, department, dt.date(2026, 3, 31), 2, budget)  # 0.005, 0.025, 0.025: one day of two
    budget = budget_get(period=Period.parse("2026-Q2"))
    assert budget.total == Decimal("0.07")  # 0.01 + 0.03 + 0.03, not 0.055 rounded once
    assert budget.by_department == [(department, Decimal("0.07"), Decimal("0.07"))]
