"""Snapshots: recomputing replaces, closed periods are kept, change against the previous period."""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.models import Scorecard, ScorecardLine
from accountability.scorecards.services import scorecard_compute, scorecards_close_period, scorecards_compute_period
from core.periods import Period
from tests import factories
from tests.accountability.scorecard_data import line, local, moved, tasks

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")
NOW = local(dt.date(2026, 4, 10))


def test_recomputing_a_department_replaces_its_snapshot_without_duplicates(department):
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    first = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)
    lines = first.lines.count()
    tasks(department, due=dt.date(2026, 2, 1))  # now overdue: on time 1 / due 2

    second = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)

    assert Scorecard.objects.filter(scope="department", department=department).count() == 1
    assert ScorecardLine.objects.count() == lines == second.lines.count()
    assert (second.tasks_due, second.delivery_score) == (2, Decimal(50))


def test_computing_a_period_writes_company_departments_and_owners_once(department, other_department, owner):
    other_owner = factories.TaskOwnerFactory()
    tasks(department, owner=owner, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    tasks(other_department, owner=other_owner, due=dt.date(2026, 3, 1))
    tasks(other_department, owner=other_owner, due=dt.date(2026, 5, 1))  # Q2: not this period

    written = scorecards_compute_period(period=Q1, now=NOW)
    again = scorecards_compute_period(period=Q1, now=NOW)

    # The company, 2 departments, 2 owners; the second run replaces them.
    assert written == again == 5
    subjects = sorted(Scorecard.objects.values_list("scope", "department_id", "owner_id"))
    assert subjects == sorted(
        [
            ("company", None, None),
            ("department", department.pk, None),
            ("department", other_department.pk, None),
            ("owner", None, owner.pk),
            ("owner", None, other_owner.pk),
        ]
    )
    assert Scorecard.objects.get(scope="company").tasks_due == 2


def test_computing_some_departments_leaves_the_others_alone(department, other_department, owner):
    tasks(department, owner=owner, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    scorecards_compute_period(period=Q1, now=NOW)
    later = local(dt.date(2026, 4, 11))

    written = scorecards_compute_period(period=Q1, department_ids=[other_department.pk], now=later)

    # The company, Billing, and no owner (none has tasks in Billing).
    assert written == 2
    assert Scorecard.objects.get(department=department).computed_at == NOW
    assert Scorecard.objects.get(owner=owner).computed_at == NOW
    assert Scorecard.objects.get(department=other_department).computed_at == later
    assert Scorecard.objects.get(scope="company").computed_at == later


def test_none_among_department_ids_stands_for_the_company(department):
    assert scorecards_compute_period(period=Q1, department_ids=[None], now=NOW) == 1
    assert Scorecard.objects.get().scope == "company"


def test_an_owner_without_tasks_due_any_more_loses_the_open_snapshot(department, owner):
    task = tasks(department, owner=owner, due=dt.date(2026, 2, 1))[0]
    scorecards_compute_period(period=Q1, now=NOW)
    task.owner = None
    task.save()

    scorecards_compute_period(period=Q1, now=NOW)

    assert not Scorecard.objects.filter(scope="owner").exists()


def test_a_closed_period_is_kept_as_it_was(department, owner):
    tasks(department, owner=owner, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    closed = scorecards_close_period(period=Q1, now=NOW)
    tasks(department, owner=owner, due=dt.date(2026, 2, 1))  # would make delivery 50

    recomputed = scorecards_compute_period(period=Q1, now=NOW)
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)

    assert (closed, recomputed) == (3, 0)
    assert Scorecard.objects.filter(closed=True).count() == 3 == Scorecard.objects.count()
    assert (card.closed, card.tasks_due, card.delivery_score) == (True, 1, Decimal(100))
    assert scorecards_close_period(period=Q1, now=NOW) == 0


def test_forcing_a_closed_snapshot_recomputes_it_and_keeps_it_closed(department):
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    scorecards_close_period(period=Q1, now=NOW)
    tasks(department, due=dt.date(2026, 2, 1))

    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW, force=True)

    assert (card.closed, card.tasks_due, card.delivery_score) == (True, 2, Decimal(50))
    assert Scorecard.objects.filter(department=department).count() == 1


def test_change_is_this_periods_overall_minus_the_previous_one(department):
    q4 = Period.parse("2025-Q4")
    # Q4 2025: 1 on time of 2 (one overdue) -> delivery 50 -> overall 50.
    tasks(department, due=dt.date(2025, 11, 1), done_on=dt.date(2025, 11, 1), allow_outside_initiative_dates=True)
    tasks(department, due=dt.date(2025, 11, 2), allow_outside_initiative_dates=True)
    # Q1 2026: 3 on time of 4 -> 75; growth: gained 2 -> 100; overall (2*75 + 2*100)/4 = 87.5.
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1), n=3)
    tasks(department, due=dt.date(2026, 2, 1))
    moved(department, kind="gained", count=2)
    previous = scorecard_compute(period=q4, scope="department", department=department, now=NOW)

    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)

    assert (previous.overall_score, card.overall_score) == (Decimal(50), Decimal("87.5"))
    # 87.5 - 50 = +37.5.
    assert card.change == Decimal("37.5")
    assert "Change: 87.5 - 50 (2025-Q4) = +37.50." in line(card, "Overall").explanation
    assert previous.change is None


def test_an_empty_period_gives_an_empty_scorecard_that_says_so(department):
    card = scorecard_compute(period=Q1, scope="department", department=department, now=NOW)

    assert card.has_data is False
    assert (card.overall_score, card.overall_colour, card.tasks_due) == (None, "", 0)
    assert line(card, "No data").explanation == (
        "No data for 2026-Q1: no tasks due, no metric readings, no customer movements."
    )
    assert line(card, "Delivery").score is None
