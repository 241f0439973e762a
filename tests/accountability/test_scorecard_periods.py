"""Period edges: completion times near midnight and quarters that span a daylight-saving change."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests.accountability.scorecard_data import line, tasks

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")


def test_task_done_at_23_30_local_on_the_last_day_of_the_quarter_counts_as_on_time(settings, department):
    # New York is behind UTC: 23:30 local on 31 March is 03:30 UTC on 1 April, which a UTC date
    # comparison would call late.
    settings.TIME_ZONE = "America/New_York"
    zone = ZoneInfo("America/New_York")
    tasks(
        department, due=dt.date(2026, 3, 31), status="done", completed_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=zone)
    )

    card = scorecard_compute(
        period=Q1, scope="department", department=department, now=dt.datetime(2026, 4, 2, tzinfo=zone)
    )

    assert (card.tasks_due, card.tasks_on_time, card.tasks_late, card.on_time_rate) == (1, 1, 0, 1)


def test_task_done_half_past_midnight_local_after_the_due_date_is_late_in_summer_time(settings, department):
    # London is on summer time (UTC+1) from 29 March 2026: 00:30 local on 1 April is 23:30 UTC on
    # 31 March, so a UTC date comparison would call it on time.
    settings.TIME_ZONE = "Europe/London"
    london = ZoneInfo("Europe/London")
    tasks(
        department, due=dt.date(2026, 3, 31), status="done", completed_at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=london)
    )

    card = scorecard_compute(
        period=Q1, scope="department", department=department, now=dt.datetime(2026, 4, 2, tzinfo=london)
    )

    assert (card.tasks_on_time, card.tasks_late) == (0, 1)


def test_quarter_spanning_the_march_clock_change_measures_today_in_local_time(settings, department):
    settings.TIME_ZONE = "Europe/London"
    london = ZoneInfo("Europe/London")
    # Q1 2026 in London starts on GMT and ends on BST (clocks go forward on 29 March).
    # A task due in January, done at 00:30 GMT on its due date (the same instant in UTC): on time.
    tasks(
        department, due=dt.date(2026, 1, 15), status="done", completed_at=dt.datetime(2026, 1, 15, 0, 30, tzinfo=london)
    )
    # A task due 30 March, done 00:30 BST on 30 March (23:30 UTC on the 29th): on time.
    tasks(
        department, due=dt.date(2026, 3, 30), status="done", completed_at=dt.datetime(2026, 3, 30, 0, 30, tzinfo=london)
    )
    # Not done, due 30 March: at 00:30 BST on 31 March (still the 30th in UTC) it is 1 day overdue.
    tasks(department, due=dt.date(2026, 3, 30), status="in_progress")
    # Not done, due 31 March: today, so not overdue yet.
    tasks(department, due=dt.date(2026, 3, 31), status="in_progress")

    with time_machine.travel(dt.datetime(2026, 3, 31, 0, 30, tzinfo=london), tick=False):
        card = scorecard_compute(period=Q1, scope="department", department=department)

    delivery = line(card, "Delivery")
    assert delivery.inputs["today"] == "2026-03-31"
    assert (card.tasks_due, card.tasks_on_time, card.tasks_overdue) == (4, 2, 1)
    assert (delivery.inputs["overdue_days"], delivery.inputs["pending"]) == (1, 1)
    # On time 2 / due 4 = 0.5 -> delivery 50.
    assert card.delivery_score == 50
