"""Follow-through in the seconds after an edit: the company's snapshot of the edited quarter
waits for the sweep, but only the edited department's snapshot is stale.

The case of tests/review/test_follow_through_snapshots.py (today 15 October 2026): first-contact
resolution (average, department level) is 70.750025 in 2026-Q1 and 70 in Q3 (Service 70, Billing
70), so "Better first calls" did not move. Service corrects its Q3 reading to 90 through the
service, which asks a recompute of Service and the company. Until the sweep runs, Q3's value is
Billing's figures from Billing's current snapshot plus Service's from its readings: (90 + 70) / 2
= 80, the value computed from the readings alone, and it moved.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Scorecard, ScorecardLine
from accountability.scorecards.follow_through import did_not_move_latest, follow_through_get
from accountability.scorecards.services import scorecards_compute_period
from customers.models import Metric, Reading
from customers.services import reading_update
from org.models import RecomputeRequest
from org.stale import request_key
from roadmap.models import Initiative
from tests import factories
from tests.review.test_follow_through import _today, case  # noqa: F401 (fixtures)
from tests.review.test_follow_through_snapshots import Q1, Q3, _figures, _flagged, snapshots  # noqa: F401

pytestmark = pytest.mark.django_db


def _from_readings() -> list:
    """The list with no snapshot at all: every value computed from the readings."""
    savepoint = transaction.savepoint()
    Scorecard.objects.all().delete()
    figures = _figures(did_not_move_latest()[0])
    timeline = _timeline()
    transaction.savepoint_rollback(savepoint)
    return figures, timeline


def _timeline() -> list:
    better = follow_through_get(initiative=Initiative.objects.get(title="Better first calls"))
    return [(m.before, m.now, m.trend) for m in better.metrics]


def _service_reading(department, day: dt.date) -> Reading:
    return Reading.objects.get(metric__code="first-contact-resolution", department=department, date=day)


def _sneak(department, day: dt.date, value: str) -> None:
    """Change a reading behind the services' back: no recompute asked, so a snapshot still says otherwise."""
    Reading.objects.filter(pk=_service_reading(department, day).pk).update(value=Decimal(value))


def _readings_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "customers_reading" in q["sql"]]


@pytest.fixture
def edited(snapshots, department):  # noqa: F811
    reading_update(reading=_service_reading(department, dt.date(2026, 8, 10)), value=Decimal(90))
    assert set(RecomputeRequest.objects.values_list("key", flat=True)) >= {"company", request_key(department.pk)}
    return snapshots


def test_with_an_edit_waiting_the_figures_are_those_computed_from_the_readings(edited, client, executive):
    figures, timeline = _from_readings()
    assert _figures(did_not_move_latest()[0]) == figures
    assert figures == [("Fewer complaints", [("2026-Q1", 5, "2026-Q3", Decimal("5.5"))])]  # Better first calls moved
    assert _timeline() == timeline
    assert timeline[0][:2] == (Decimal("70.750025"), Decimal(80))
    assert "Better first calls" not in _flagged(client, executive)


def test_the_departments_not_edited_are_read_from_their_snapshots(edited, department, other_department):
    _sneak(other_department, dt.date(2026, 8, 10), "10")  # Billing's snapshot still says 70
    _sneak(department, dt.date(2026, 8, 10), "95")  # Service's is stale: its readings count
    with CaptureQueriesContext(connection) as queries:
        better = follow_through_get(initiative=Initiative.objects.get(title="Better first calls"))
    assert better.metrics[0].now == (Decimal(95) + 70) / 2
    assert _readings_queries(queries)  # Service's readings, and the company-level metric's


def test_a_line_kept_before_lines_kept_their_figures_is_not_added_in(edited, other_department):
    for line in ScorecardLine.objects.filter(scorecard__scope="department", part="metric"):
        del line.inputs["as_read"]["figures"]
        line.save(update_fields=["inputs"])
    _sneak(other_department, dt.date(2026, 8, 10), "10")  # read from the readings after all
    better = follow_through_get(initiative=Initiative.objects.get(title="Better first calls"))
    assert better.metrics[0].now == Decimal(50)
    assert _timeline() == _from_readings()[1]


def test_a_department_line_read_with_other_metric_settings_is_not_added_in(edited, other_department):
    Metric.objects.filter(code="first-contact-resolution").update(aggregation=Metric.Aggregation.SUM)
    _sneak(other_department, dt.date(2026, 8, 10), "10")
    better = follow_through_get(initiative=Initiative.objects.get(title="Better first calls"))
    assert better.metrics[0].now == Decimal(100)  # 90 + 10, both from the readings
    assert _timeline() == _from_readings()[1]


def test_a_department_whose_past_quarter_was_edited_is_read_from_its_readings_there(
    snapshots,  # noqa: F811
    other_department,
):
    reading_update(reading=_service_reading(other_department, dt.date(2026, 1, 10)), value=Decimal(75))
    assert RecomputeRequest.objects.filter(department=other_department, period_start=Q1.start).exists()
    figures, timeline = _from_readings()
    assert _timeline() == timeline
    assert timeline[0][0] == (Decimal(70) + 72 + 75 + Decimal("70.0001")) / 4
    assert _figures(did_not_move_latest()[0]) == figures


def test_the_dashboard_with_an_edit_waiting_takes_the_same_queries_with_more_departments(
    edited, department, client, executive, django_assert_num_queries
):
    client.force_login(executive)
    url = reverse("admin:review_dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fcr = Metric.objects.get(code="first-contact-resolution")
    for n in range(3):
        more = factories.DepartmentFactory()
        factories.ReadingFactory(metric=fcr, department=more, date=dt.date(2026, 8, 11 + n), value=70)
    scorecards_compute_period(period=Q3)
    reading_update(reading=_service_reading(department, dt.date(2026, 8, 10)), value=Decimal(91))
    with django_assert_num_queries(len(small)):
        client.get(url)


def test_the_value_is_exact_whichever_way_it_is_read(department, cco_staff):
    """Dates' means keep 28 digits; added up at 28 digits their total would depend on the order
    the departments come in, which differs between the readings, the company's snapshot and the
    departments' snapshots. Added up exactly, the company value is one figure: (99.9999 + 10/13 +
    0.0003/13) / 3 = 33.58971794871794871794871795 (at 28 digits the orders give ...793 or ...797)."""
    precise = factories.MetricFactory(code="precise", aggregation=Metric.Aggregation.AVERAGE)
    other, third = factories.DepartmentFactory(), factories.DepartmentFactory()
    day = dt.date(2026, 8, 5)
    factories.ReadingFactory(metric=precise, department=department, date=day, value=Decimal("99.9999"))
    for dep, first in ((other, Decimal(10)), (third, Decimal("0.0003"))):
        for value in [first] + [Decimal(0)] * 12:  # 13 readings of one date: their mean
            factories.ReadingFactory(metric=precise, department=dep, date=day, value=value)
    ran = factories.InitiativeFactory(
        title="Precise", status=Initiative.Status.DONE, start_date=dt.date(2026, 4, 1), end_date=dt.date(2026, 6, 30)
    )
    factories.InitiativeExpectationFactory(initiative=ran, metric=precise, expected_value=50, by_date=ran.end_date)
    scorecards_compute_period(period=Q3)
    RecomputeRequest.objects.all().delete()

    def now() -> Decimal:
        return follow_through_get(initiative=ran).metrics[0].now

    from_company_snapshot = now()
    reading_update(reading=Reading.objects.get(metric=precise, department=department), value=Decimal("99.9999"))
    with_an_edit_waiting = now()
    savepoint = transaction.savepoint()
    Scorecard.objects.all().delete()
    from_readings = now()
    transaction.savepoint_rollback(savepoint)
    expected = Decimal("33.58971794871794871794871795")
    assert from_company_snapshot == with_an_edit_waiting == from_readings == expected
