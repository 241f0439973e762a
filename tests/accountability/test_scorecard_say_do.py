"""The say/do line: promises kept, slips and average slip per department and owner, worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests import factories
from tests.accountability.scorecard_data import line, local, tasks

pytestmark = pytest.mark.django_db
D = Decimal
Q1 = Period.parse("2026-Q1")
NOW = local(dt.date(2026, 4, 10))


@pytest.fixture
def promises(department, owner):
    """Five promises in Q1 for `department` (four by `owner`), one outside it, one cancelled.

    - A: promised 10 Feb, done 9 Feb: kept.
    - B: promised 20 Feb, slipped twice (+5, +10: due 7 Mar), done 6 Mar: not kept, 2 slips, 15 days.
    - C: promised 31 Mar, slipped once +20 (due 20 Apr), in progress: not kept, 1 slip, 20 days.
    - D: promised 15 Mar, done 15 Mar at 23:30 local: kept (the promise's own day).
    - E (no owner): promised 1 Mar, overdue: not kept.
    """
    tasks(department, owner=owner, due=dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 9))
    tasks(department, owner=owner, due=dt.date(2026, 3, 7), done_on=dt.date(2026, 3, 6),
          promised_date=dt.date(2026, 2, 20), slip_count=2)  # fmt: skip
    tasks(department, owner=owner, due=dt.date(2026, 4, 20), status="in_progress",
          promised_date=dt.date(2026, 3, 31), slip_count=1)  # fmt: skip
    late_night = factories.TaskFactory(department=department, owner=owner, due_date=dt.date(2026, 3, 15))
    late_night.status, late_night.completed_at = "done", local(dt.date(2026, 3, 15), 23, 30)
    late_night.promised_date = late_night.due_date
    late_night.save()
    tasks(department, owner=None, due=dt.date(2026, 3, 1), status="in_progress")
    # Outside the period, cancelled, or not promised yet: none of them counts.
    tasks(department, owner=owner, due=dt.date(2026, 4, 2), status="in_progress")
    tasks(department, owner=owner, due=dt.date(2026, 2, 2), status="cancelled")
    tasks(department, owner=owner, due=dt.date(2026, 2, 3), status="not_started")


def test_department_say_do_rate_slips_and_average_slip(department, promises):
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)
    say_do = line(card, "Say/do")

    # Kept A and D of five promises: 2/5 = 0.4. Slips 2 + 1 = 3, 15 + 20 = 35 days, 35/3 = 11.7 days per slip.
    assert say_do.value == D("0.4000") and say_do.score is None
    assert say_do.inputs == {
        "promised": 5,
        "kept": 2,
        "slips": 3,
        "slip_days": 35,
        "say_do_rate": "0.4000",
        "slips_per_task": "0.6000",
        "average_slip_days": "11.6667",
    }
    assert "done by the promise 2 / promised in the period 5 = 0.4" in say_do.explanation
    # The line explains; it does not move the overall score, nor does it change delivery's due tasks.
    # Due in Q1: A, B, D, E and the unstarted one (C is due in April, the cancelled one is left out):
    # 5 due, 3 on time (B was on time against its moved date), 2 overdue -> delivery 60, the overall.
    assert (card.tasks_due, card.tasks_on_time, card.tasks_overdue) == (5, 3, 2)
    assert card.overall_score == D("60.00")


def test_owner_say_do_counts_only_their_promises(department, owner, promises):
    card = scorecard_compute(period=Q1, scope="owner", owner=owner, now=NOW)
    # A, B, C, D are the owner's: kept 2 of 4 = 0.5.
    assert line(card, "Say/do").inputs["promised"] == 4
    assert line(card, "Say/do").value == D("0.5000")


def test_no_promises_no_say_do_rate(department):
    tasks(department, due=dt.date(2026, 2, 3), status="not_started")
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)
    assert line(card, "Say/do").value is None
    assert "No promises fall in the period" in line(card, "Say/do").explanation
