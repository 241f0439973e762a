"""History from day one: back-dated edits recompute past periods, closed ones stay closed, the backfill command."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from accountability.models import Scorecard
from accountability.scorecards.services import (
    BACKFILL_BACKWARDS,
    BACKFILL_FUTURE,
    NO_DATA,
    NOT_A_PERIOD,
    scorecard_compute,
    scorecards_close_period,
    scorecards_reopen_period,
)
from accountability.scorecards.sweeps import recompute_requests_process
from core.periods import Period
from customers.services import movement_create, reading_update
from org.models import RecomputeRequest
from tests import factories
from tests.accountability.scorecard_data import local, metric, moved, readings, target

pytestmark = pytest.mark.django_db

NOW = local(dt.date(2026, 11, 10))
Q2, Q3 = Period.parse("2026-Q2"), Period.parse("2026-Q3")


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(NOW, tick=False):
        yield


def company(period: Period) -> Scorecard:
    return Scorecard.objects.get(scope="company", period_kind=period.kind, period_start=period.start)


def test_a_back_dated_movement_recomputes_that_quarter_and_the_change_of_the_next(department):
    moved(department, kind="gained", count=10, day=dt.date(2026, 5, 1))
    moved(department, kind="lost", count=10, day=dt.date(2026, 8, 1))
    for period in (Q2, Q3):
        scorecard_compute(period=period, scope="company", now=NOW)
    assert (company(Q2).growth_score, company(Q3).growth_score) == (Decimal(100), Decimal(0))

    segment = factories.CustomerSegmentFactory()
    reason = factories.LossReasonFactory()
    movement_create(
        kind="lost", count=40, date=dt.date(2026, 5, 20), segment=segment, department=department, loss_reason=reason
    )
    keys = set(RecomputeRequest.objects.values_list("key", flat=True))
    assert {"company@2026-Q2", "company@2026-05", "company@2026-Q3", "company@2026-06"} <= keys
    recompute_requests_process(now=NOW, limit=100)

    # Q2: 10 gained, 40 lost: 100 · 10/40 = 25. Q3's change follows Q2's new overall.
    assert company(Q2).growth_score == Decimal(25)
    assert company(Q3).change == company(Q3).overall_score - company(Q2).overall_score
    assert not RecomputeRequest.objects.exists()


def test_a_closed_period_stays_closed_until_cco_staff_reopen_it(department):
    fcr = metric("fcr")
    target(fcr, t=80, a=70, start=Q2.start)
    readings(fcr, department, (dt.date(2026, 5, 1), 76))
    scorecards_close_period(period=Q2, now=NOW)
    closed = company(Q2)
    reading = fcr.readings.get()

    reading_update(reading=reading, value=Decimal(90))
    recompute_requests_process(now=NOW, limit=100)
    kept = company(Q2)
    assert kept.pk == closed.pk and kept.closed
    assert kept.lines.get(metric=fcr, part="metric").value == Decimal(76)

    scorecards_reopen_period(period=Q2, now=NOW)
    reopened = company(Q2)
    assert not reopened.closed
    assert reopened.lines.get(metric=fcr, part="metric").value == Decimal(90)


def test_the_backfill_command_computes_every_period_with_data_oldest_first(department, capsys):
    moved(department, kind="gained", count=3, day=dt.date(2026, 8, 15))
    moved(department, kind="lost", count=4, day=dt.date(2026, 9, 15))
    call_command("backfill_scorecards")
    out, err = capsys.readouterr()
    # August to November, and Q3 and Q4: six periods, the company and the department each.
    assert "Computed 12 scorecard(s) of 6 period(s), 2026-Q3 to 2026-11." in out
    assert "Scorecards: 100%" in err and "6/6" in err
    # August came first, so September's change is there: growth 100 · 0/4 = 0, minus August's 100.
    assert company(Period.parse("2026-09")).change == Decimal(-100)


def test_the_backfill_command_takes_a_range(department):
    moved(department, kind="gained", count=3, day=dt.date(2025, 8, 15))
    call_command("backfill_scorecards", "--from", "2026-Q1", "--to", "2026-02", "--no-progress")
    labels = {c.period.label for c in Scorecard.objects.filter(scope="company")}
    assert labels == {"2026-01", "2026-02", "2026-Q1"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-13"], NOT_A_PERIOD.format(value="2026-13")),
        (["--from", "2026-Q3", "--to", "2026-Q1"], BACKFILL_BACKWARDS.format(first="2026-Q3", last="2026-Q1")),
        (["--to", "2027-01"], BACKFILL_FUTURE.format(period="2027-01")),
    ],
)
def test_a_bad_range_is_refused_with_a_message_and_writes_nothing(department, arguments, message):
    moved(department, kind="gained", count=3, day=dt.date(2026, 8, 15))
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        call_command("backfill_scorecards", *arguments, "--no-progress")
    assert not Scorecard.objects.exists()


def test_the_backfill_command_says_when_there_is_no_data():
    with pytest.raises(CommandError, match=NO_DATA):
        call_command("backfill_scorecards", "--no-progress")
