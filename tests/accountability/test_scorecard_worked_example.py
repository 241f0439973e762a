"""The worked example of docs/domain.md, end to end through the engine."""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.models import ScorecardSettings
from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests.accountability.scorecard_data import Q1, line, local, metric, moved, readings, target, tasks

pytestmark = pytest.mark.django_db

AFTER_Q1 = local(dt.date(2026, 4, 10))


def test_domain_worked_example_gives_70_0_amber(department):
    ScorecardSettings.objects.create(delivery_weight=2, growth_weight=2)
    # Tasks due: 10; on time 6, done late 2, overdue 2 -> on-time rate 0.6 -> delivery 60.
    tasks(department, due=dt.date(2026, 3, 20), done_on=dt.date(2026, 3, 20), n=6)
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 5), n=2)
    tasks(department, due=dt.date(2026, 3, 1), status="in_progress", n=2)
    # First-contact resolution %, higher is better, T 80, A 70, v = average(74, 78) = 76
    # -> 50 + 50 * 6/10 = 80, amber.
    fcr = metric("first-contact-resolution")
    target(fcr, t=80, a=70, department=department)
    readings(fcr, department, (dt.date(2026, 1, 15), 74), (dt.date(2026, 3, 15), 78))
    # Complaints per 1,000 customers, lower is better, T 5, A 8, v = 4.2 (last value) -> 100, green.
    complaints = metric("complaints-per-1000", lower=True, aggregation="last")
    target(complaints, t=5, a=8)  # the company target applies: the department has none
    readings(complaints, department, (dt.date(2026, 1, 31), 6), (dt.date(2026, 3, 31), "4.2"))
    # Gained 12, lost 20 -> net -8 -> growth 100 * min(1, 12/20) = 60, amber.
    moved(department, kind="gained", count=12)
    moved(department, kind="lost", count=20)

    card = scorecard_compute(period=Period.parse("2026-Q1"), scope="department", department=department, now=AFTER_Q1)

    assert (card.tasks_due, card.tasks_on_time, card.tasks_late, card.tasks_overdue) == (10, 6, 2, 2)
    assert card.on_time_rate == Decimal("0.6") and card.delivery_score == Decimal("60.00")
    assert line(card, "Delivery").explanation.startswith("on time 6 / due 10 = 0.6 → delivery 60.")
    fcr_line = line(card, "First contact resolution")
    assert (fcr_line.value, fcr_line.score, fcr_line.colour) == (Decimal("76"), Decimal("80.00"), "amber")
    complaints_line = line(card, "Complaints per 1000")
    assert (complaints_line.value, complaints_line.score, complaints_line.colour) == (
        Decimal("4.2"),
        Decimal("100.00"),
        "green",
    )
    assert (card.customers_gained, card.customers_lost, card.customers_net) == (12, 20, -8)
    assert card.growth_score == Decimal("60.00") and line(card, "Customer growth").colour == "amber"
    assert "growth 100 · min(1, 12/20) = 60" in line(card, "Customer growth").explanation
    # metrics in code order: (2*60 + 100 + 80 + 2*60) / 6 = 420 / 6 = 70.0, amber.
    assert card.overall_score == Decimal("70.00")
    assert card.overall_colour == "amber"
    assert "(2·60 + 1·100 + 1·80 + 2·60) / 6 = 70" in line(card, "Overall").explanation
    assert card.period_start == Q1 and card.has_data
