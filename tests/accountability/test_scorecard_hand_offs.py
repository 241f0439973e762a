"""The hand-off rate of a giver department, worked out by hand (DOMAIN: delivery figures)."""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests.accountability.scorecard_data import line, local, tasks

pytestmark = pytest.mark.django_db
D = Decimal
Q1 = Period.parse("2026-Q1")
NOW = local(dt.date(2026, 4, 10))


def one(department, due, **state):
    return tasks(department, due=due, **state)[0]


@pytest.fixture
def hand_offs(department, other_department):
    """Service (department) gives five hand-offs due in Q1, three on time; Billing gives one, late.

    - S1 due 10 Feb, done 9 Feb, waited on by two Billing tasks: 2 due, 2 on time.
    - S2 due 20 Mar, done 25 Mar, waited on by Billing: due, late.
    - S3 due 31 Mar, still open (overdue), waited on by Billing: due, late.
    - S7 due 15 Mar, done 15 Mar at 23:30 local, waited on by Billing: due, on time.
    - Not counted: S4 (cancelled), S5 (due in April), S6 (waited on inside Service).
    - Billing's B7 due 5 Feb, done 1 Mar, waited on by S3: Billing gives 1, 0 on time.
    """
    billing = [one(other_department, dt.date(2026, 6, 1)) for _ in range(8)]
    s1 = one(department, dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 9))
    s2 = one(department, dt.date(2026, 3, 20), done_on=dt.date(2026, 3, 25))
    s3 = one(department, dt.date(2026, 3, 31), status="in_progress")
    s4 = one(department, dt.date(2026, 3, 15), status="cancelled")
    s5 = one(department, dt.date(2026, 4, 10))
    s6 = one(department, dt.date(2026, 3, 1))
    s7 = one(department, dt.date(2026, 3, 15))
    s7.status, s7.completed_at = "done", local(dt.date(2026, 3, 15), 23, 30)
    s7.save()
    for waiting, awaited in [(0, s1), (1, s1), (2, s2), (3, s3), (4, s4), (5, s5), (6, s7)]:
        billing[waiting].depends_on.add(awaited)
    one(department, dt.date(2026, 3, 2)).depends_on.add(s6)
    b7 = one(other_department, dt.date(2026, 2, 5), done_on=dt.date(2026, 3, 1))
    s3.depends_on.add(b7)


def test_the_giver_departments_hand_off_rate(department, hand_offs):
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)
    rate = line(card, "Hand-off rate")
    # On time: S1 twice and S7 = 3, of 5 due -> 0.6.
    assert rate.value == D("0.6000") and rate.score is None
    assert rate.inputs == {"hand_offs_due": 5, "hand_offs_on_time": 3, "handoff_rate": "0.6000"}
    assert "3 / hand-offs to other departments due in the period 5 = 0.6" in rate.explanation


def test_a_receiver_is_scored_only_on_what_it_gives(other_department, hand_offs):
    card = scorecard_compute(period=Q1, scope="department", department=other_department, now=NOW)
    assert line(card, "Hand-off rate").inputs["hand_offs_due"] == 1
    assert line(card, "Hand-off rate").value == D(0)


def test_the_company_adds_every_giver(department, hand_offs):
    card = scorecard_compute(period=Q1, scope="company", now=NOW)
    # 5 + 1 due, 3 + 0 on time -> 0.5.
    assert line(card, "Hand-off rate").value == D("0.5000")


def test_an_owner_scorecard_has_no_hand_off_line(owner, hand_offs):
    card = scorecard_compute(period=Q1, scope="owner", owner=owner, now=NOW)
    assert not card.lines.filter(part="handoff").exists()


def test_no_hand_offs_no_rate(department):
    one(department, dt.date(2026, 2, 3))
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)
    assert line(card, "Hand-off rate").value is None
