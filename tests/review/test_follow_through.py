"""Follow-through, hand-computed: "expected first-contact resolution 80 by Q2; was 71, now 76".

Today is 15 October 2026. "Better first calls" ran in 2026-Q2 and is done. First-contact
resolution (%, higher is better, average, department level) read in Q1: Service 70 (10 Jan) and
72 (10 Feb), Billing 71 (10 Jan): the company's value is the mean of every department's date
totals, (70 + 72 + 71) / 3 = 71. While it ran (Q2): Service 74. In the quarter after (Q3):
Service 76 and Billing 76: 76. It moved, but did not reach 80.
"Fewer complaints" (complaints per 1,000, lower is better, company level) also ran in Q2 and is
done: 5 in Q1, 5.5 in Q3: it did not move, and the dashboard flags it.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.scorecards import follow_through
from accountability.scorecards.follow_through import (
    did_not_move_latest,
    follow_through_get,
)
from customers.models import Metric
from roadmap.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def case(department, other_department, cco_staff):
    fcr = factories.MetricFactory(code="first-contact-resolution", unit="%")
    complaints = factories.MetricFactory(
        code="complaints", unit="", direction=Metric.Direction.LOWER, level=Metric.Level.COMPANY
    )
    for dep, day, value in [
        (department, dt.date(2026, 1, 10), 70),
        (department, dt.date(2026, 2, 10), 72),
        (other_department, dt.date(2026, 1, 10), 71),
        (department, dt.date(2026, 5, 10), 74),
        (department, dt.date(2026, 8, 10), 76),
        (other_department, dt.date(2026, 8, 10), 76),
    ]:
        factories.ReadingFactory(metric=fcr, department=dep, date=day, value=value)
    for day, value in [(dt.date(2026, 2, 1), "5"), (dt.date(2026, 8, 1), "5.5")]:
        factories.ReadingFactory(metric=complaints, department=None, date=day, value=Decimal(value))
    q2 = {"start_date": dt.date(2026, 4, 1), "end_date": dt.date(2026, 6, 30), "owner": cco_staff}
    better = factories.InitiativeFactory(title="Better first calls", status=Initiative.Status.DONE, **q2)
    by = dt.date(2026, 6, 30)
    factories.InitiativeExpectationFactory(initiative=better, metric=fcr, expected_value=80, by_date=by)
    price = factories.LossReasonFactory(name="Service failure")
    better.loss_reasons.add(price)
    factories.CustomerMovementFactory(kind="lost", loss_reason=price, count=10, date=dt.date(2026, 2, 3))
    factories.CustomerMovementFactory(kind="lost", loss_reason=price, count=4, date=dt.date(2026, 9, 3))
    fewer = factories.InitiativeFactory(title="Fewer complaints", status=Initiative.Status.DONE, **q2)
    factories.InitiativeExpectationFactory(
        initiative=fewer, metric=complaints, expected_value=3, by_date=dt.date(2026, 6, 30)
    )
    return {"better": better, "fewer": fewer}


def test_was_71_now_76_against_80_expected(case):
    follow = follow_through_get(initiative=case["better"])
    (fcr,) = follow.metrics
    assert (str(fcr.before_period), fcr.before, str(fcr.now_period), fcr.now) == ("2026-Q1", 71, "2026-Q3", 76)
    assert [(str(p), v) for p, v in fcr.trend] == [("2026-Q2", 74)]
    assert (fcr.moved, fcr.reached, follow.did_not_move) == (True, False, False)
    assert [(r.name, r.before, r.now) for r in follow.loss_reasons] == [("Service failure", 10, 4)]


def test_a_lower_is_better_metric_that_rose_did_not_move(case):
    follow = follow_through_get(initiative=case["fewer"])
    (complaints,) = follow.metrics
    assert (complaints.before, complaints.now, complaints.moved) == (5, Decimal("5.5"), False)
    assert follow.did_not_move
    assert [f.initiative.title for f in did_not_move_latest()[0]] == ["Fewer complaints"]


def test_initiatives_of_the_same_dates_are_each_judged_on_their_own_metrics(case, cco_staff):
    """The list judges each (dates, metric) once for all initiatives sharing them: still per initiative."""
    q2 = {"start_date": dt.date(2026, 4, 1), "end_date": dt.date(2026, 6, 30), "owner": cco_staff}
    both = factories.InitiativeFactory(title="Both", status=Initiative.Status.DONE, **q2)
    again = factories.InitiativeFactory(title="Complaints again", status=Initiative.Status.DONE, **q2)
    for initiative, metric in [(both, "first-contact-resolution"), (both, "complaints"), (again, "complaints")]:
        factories.InitiativeExpectationFactory(
            initiative=initiative, metric=Metric.objects.get(code=metric), expected_value=1, by_date=q2["end_date"]
        )
    # "Both" moved first-contact resolution: not flagged, though complaints did not move.
    assert [f.initiative.title for f in did_not_move_latest()[0]] == ["Complaints again", "Fewer complaints"]


def test_a_running_initiative_is_measured_on_its_latest_quarter(case):
    Initiative.objects.filter(pk=case["better"].pk).update(end_date=dt.date(2026, 12, 31), status="active")
    follow = follow_through_get(initiative=Initiative.objects.get(pk=case["better"].pk))
    (fcr,) = follow.metrics
    assert (str(fcr.now_period), fcr.now) == ("2026-Q4", None)  # nothing read yet this quarter
    assert [str(p) for p, _ in fcr.trend] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert not follow.did_not_move  # not finished


def test_the_timeline_and_the_dashboard_show_it(client, case, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:review_timeline", args=[case["better"].pk])).content.decode()
    table = page[page.index('id="follow-through"') :]
    assert "71.0 %" in table and "76.0 %" in table and "80.0 %" in table and "moved" in table
    dashboard = client.get(reverse("admin:review_dashboard")).content.decode()
    flagged = dashboard[dashboard.index('id="did-not-move"') :]
    flagged = flagged[: flagged.index("</table>")]
    assert "Fewer complaints" in flagged and "Better first calls" not in flagged


def test_the_timeline_takes_the_same_queries_with_more_readings_and_movements(client, case, executive, department):
    client.force_login(executive)
    url = reverse("admin:review_timeline", args=[case["better"].pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count()
    fcr = Metric.objects.get(code="first-contact-resolution")
    for day in range(1, 20):
        factories.ReadingFactory(metric=fcr, department=department, date=dt.date(2026, 8, day), value=75)
        factories.CustomerMovementFactory(kind="lost", count=1, date=dt.date(2026, 9, day))
    assert count() == few


@pytest.mark.parametrize("limit", [1, 2, 3, 4])
def test_the_latest_that_did_not_move_are_the_first_of_the_whole_list_even_among_equal_end_dates(
    case, cco_staff, limit
):
    """Initiatives ending on one day, listed by title: the list cut at `limit` is the whole list's head."""
    complaints = Metric.objects.get(code="complaints")
    for title, end in [("Flat b", 30), ("Flat a", 30), ("Flat c", 29), ("Flat d", 30)]:
        initiative = factories.InitiativeFactory(
            title=title,
            status=Initiative.Status.DONE,
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2026, 6, end),
            owner=cco_staff,
        )
        factories.InitiativeExpectationFactory(
            initiative=initiative, metric=complaints, expected_value=3, by_date=dt.date(2026, 6, 30)
        )
    everything = [f.initiative.title for f in did_not_move_latest()[0]]
    assert everything == ["Fewer complaints", "Flat a", "Flat b", "Flat d", "Flat c"]
    listed, count = did_not_move_latest(limit=limit)
    assert ([f.initiative.title for f in listed], count) == (everything[:limit], 5)


def test_past_max_union_quarters_the_lost_customers_are_read_as_one_range_with_the_same_figures(case, monkeypatch):
    better = Initiative.objects.get(title="Better first calls")
    figures = [(r.name, r.before, r.now) for r in follow_through_get(initiative=better).loss_reasons]
    monkeypatch.setattr(follow_through, "MAX_UNION", 1)
    assert [(r.name, r.before, r.now) for r in follow_through_get(initiative=better).loss_reasons] == figures
    assert figures == [("Service failure", 10, 4)]
