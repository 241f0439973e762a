"""The scheduled sweeps' services: the nightly recompute and period closing run once, whoever calls them."""

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError

from accountability.models import ScheduledRun, Scorecard, ScorecardSettings
from accountability.scorecards import services, sweeps
from accountability.scorecards.sweeps import scorecards_close_due, scorecards_nightly_run
from tests import factories

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def nightly_at_two(db):
    return ScorecardSettings.objects.create(nightly_recompute_hour=2)


def test_the_nightly_recompute_waits_for_its_hour_in_the_organisations_time_zone(nightly_at_two, department):
    # 00:59 UTC is 01:59 in London in summer (BST): not yet.
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 0, 59)) is False
    assert not Scorecard.objects.exists()
    # 01:05 UTC is 02:05 BST: the hour has come.
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 1, 5)) is True
    # Company, the department, for the month (August) and the quarter (Q3).
    assert set(Scorecard.objects.values_list("scope", "period_start")) == {
        ("company", dt.date(2026, 8, 1)),
        ("company", dt.date(2026, 7, 1)),
        ("department", dt.date(2026, 8, 1)),
        ("department", dt.date(2026, 7, 1)),
    }


def test_the_nightly_recompute_runs_once_per_local_date(nightly_at_two, department):
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 1, 5)) is True
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 2, 5)) is False
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 22, 5)) is False
    # 23:05 UTC is already the 13th in London.
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 23, 5)) is False  # 00:05 local, before 02:00
    assert scorecards_nightly_run(now=utc(2026, 8, 13, 1, 5)) is True
    assert ScheduledRun.objects.get(name="nightly-recompute").last_run_on == dt.date(2026, 8, 13)


def test_a_failed_nightly_recompute_gives_its_claim_back_for_the_retry(nightly_at_two, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(sweeps, "scorecards_compute_period", locked)
    with pytest.raises(OperationalError):
        scorecards_nightly_run(now=utc(2026, 8, 12, 1, 5))
    monkeypatch.undo()
    assert scorecards_nightly_run(now=utc(2026, 8, 12, 1, 10)) is True


def test_the_nightly_recompute_uses_default_settings_when_none_were_saved(department):
    assert scorecards_nightly_run(now=utc(2026, 1, 12, 1, 59)) is False  # 01:59 GMT; the default hour is 2
    assert scorecards_nightly_run(now=utc(2026, 1, 12, 2, 0)) is True


def test_the_first_day_of_a_quarter_closes_the_previous_month_and_quarter_once(department):
    periods = [("month", dt.date(2026, 6, 1)), ("quarter", dt.date(2026, 4, 1)), ("quarter", dt.date(2026, 7, 1))]
    for kind, start in periods:
        factories.ScorecardFactory(period_kind=kind, period_start=start, department=department)
    # 1 July 00:30 BST is 30 June 23:30 UTC.
    closed = scorecards_close_due(now=utc(2026, 6, 30, 23, 30))
    assert [p.label for p in closed] == ["2026-06", "2026-Q2"]
    # Closing recomputes, and a recompute replaces a snapshot: look them up by period.
    flags = [
        Scorecard.objects.get(period_kind=kind, period_start=start, department=department).closed
        for kind, start in periods
    ]
    assert flags == [True, True, False]
    assert scorecards_close_due(now=utc(2026, 7, 1, 10, 0)) == []
    assert scorecards_close_due(now=utc(2026, 7, 20, 10, 0)) == []


def test_the_last_day_of_a_quarter_in_utc_is_not_yet_the_new_quarter_locally(department):
    # 30 June 22:59 UTC is 23:59 BST on 30 June: still Q2 and June, so what is due (on a new
    # installation, caught up) is closing May and Q1, not June or Q2.
    assert [p.label for p in scorecards_close_due(now=utc(2026, 6, 30, 22, 59))] == ["2026-05", "2026-Q1"]


def test_periods_close_from_the_configured_day_of_the_new_period(department):
    ScorecardSettings.objects.create(close_previous_period_on_day=3)
    # On 2 August July stays open; Q2 (day 33 of Q3) was never closed here, so it is caught up.
    assert [p.label for p in scorecards_close_due(now=utc(2026, 8, 2, 12, 0))] == ["2026-Q2"]
    assert [p.label for p in scorecards_close_due(now=utc(2026, 8, 3, 12, 0))] == ["2026-07"]
    # A missed day is caught up: Q3 closes on 5 October if nothing ran on the 3rd or 4th.
    assert [p.label for p in scorecards_close_due(now=utc(2026, 10, 5, 12, 0))] == ["2026-09", "2026-Q3"]


def test_a_closed_snapshot_is_kept_by_later_recomputes(department):
    with time_machine.travel(utc(2026, 7, 1, 10, 0), tick=False):
        scorecards_close_due()
    june = Scorecard.objects.get(scope="department", period_kind="month", period_start=dt.date(2026, 6, 1))
    assert june.closed
    services.scorecard_recompute(period="2026-06", scope="department", department_id=department.pk)
    june_after = Scorecard.objects.get(pk=june.pk)
    assert june_after.computed_at == june.computed_at
