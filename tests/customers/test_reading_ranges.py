"""A reading outside its metric's range, or of a ledger-derived metric, is refused by every door.

The admin, the API, the bulk feed and the import each name the field and the range, and
write nothing.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from customers.models import Metric, Reading
from review import imports
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

FCR_180 = "180 is outside the range of First-contact resolution: 0 to 100."
LEDGER = (
    "Customers lost is counted from the customer movement ledger; record the customers gained or lost as "
    "customer movements instead of a reading."
)


@pytest.fixture
def fcr(db):
    return factories.MetricFactory(code="fcr", name="First-contact resolution", unit="%")


@pytest.fixture
def lost(db):
    return factories.MetricFactory(
        code="customers_lost", name="Customers lost", unit="customers", level="company", source="ledger_lost"
    )


@pytest.mark.parametrize(
    ("code", "unit", "low", "high"),
    [("fcr", "%", 0, 100), ("nps", "score", -100, 100), ("promoters", "NPS", -100, 100), ("revenue", "GBP", 0, None)],
)
def test_a_new_metric_gets_the_range_of_its_unit(code, unit, low, high):
    metric = Metric.objects.create(code=code, name=code, unit=unit)
    assert (metric.min_value, metric.max_value) == (low, high)


def test_a_range_set_by_cco_staff_is_kept():
    metric = Metric.objects.create(code="days", name="Days", unit="days", min_value=1, max_value=365)
    assert (metric.min_value, metric.max_value) == (1, 365) and metric.range_text() == "1 to 365"


def test_the_admin_refuses_180_percent_naming_the_value_and_the_range(client, cco_staff, fcr, department):
    client.force_login(cco_staff)
    values = {"metric": fcr.pk, "department": department.pk, "date": "2026-02-01", "value": "180"}
    response = client.post(reverse("admin:customers_reading_add"), values)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"] == [FCR_180]
    assert not Reading.objects.exists()


@pytest.mark.parametrize(("value", "ok"), [("-0.01", False), ("0", True), ("100", True), ("100.01", False)])
def test_the_api_accepts_the_ends_of_the_range_and_nothing_beyond(cco_staff, fcr, department, value, ok):
    payload = {"metric": fcr.pk, "department": department.pk, "date": "2026-02-01", "value": value}
    response = token_client(cco_staff).post("/api/v1/readings/", payload, format="json")
    assert response.status_code == (201 if ok else 400), response.json()
    if not ok:
        assert "outside the range of First-contact resolution: 0 to 100" in response.json()["value"][0]
    assert Reading.objects.count() == int(ok)


def test_the_bulk_feed_refuses_the_whole_batch_naming_the_row(cco_staff, fcr, department):
    rows = [{"metric": fcr.pk, "department": department.pk, "date": "2026-02-01", "value": v} for v in (76, 180, 80)]
    response = token_client(cco_staff).post("/api/v1/readings/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert response.json() == {"rows": [{"index": 1, "errors": {"value": [FCR_180]}}]}
    assert not Reading.objects.exists()


def test_the_import_refuses_the_file_naming_the_line(cco_staff, fcr, department):
    text = "metric,department,date,value\nfcr,service,2026-02-01,76\nfcr,service,2026-02-02,180\n"
    report = imports.import_run(kind="readings", filename="r.csv", content=text.encode(), user=cco_staff, dry_run=False)
    assert not report.committed and [row.line for row in report.errors] == [3]
    assert report.errors[0].messages == [f"value: {FCR_180}"]
    assert not Reading.objects.exists()


def test_no_door_takes_a_reading_of_a_ledger_metric(client, cco_staff, lost):
    payload = {"metric": lost.pk, "date": "2026-02-01", "value": "3"}
    api = token_client(cco_staff).post("/api/v1/readings/", payload, format="json")
    assert api.status_code == 400 and api.json()["metric"] == [LEDGER]
    bulk = token_client(cco_staff).post("/api/v1/readings/bulk/", {"rows": [payload]}, format="json")
    assert bulk.json() == {"rows": [{"index": 0, "errors": {"metric": [LEDGER]}}]}
    client.force_login(cco_staff)
    admin = client.post(reverse("admin:customers_reading_add"), payload)
    assert admin.context["adminform"].form.errors["metric"] == [LEDGER]
    text = "metric,date,value\ncustomers_lost,2026-02-01,3\n"
    report = imports.import_run(kind="readings", filename="r.csv", content=text.encode(), user=cco_staff, dry_run=False)
    assert report.errors[0].messages == [f"metric: {LEDGER}"]
    assert not Reading.objects.exists()


def test_the_admin_lists_readings_kept_from_before_the_range(client, cco_staff, fcr, department):
    kept = factories.ReadingFactory(metric=fcr, department=department, value=Decimal("180"))
    inside = factories.ReadingFactory(metric=fcr, department=department, value=Decimal("76"))
    client.force_login(cco_staff)
    url = reverse("admin:customers_reading_changelist")
    outside = client.get(url, {"range": "outside"})
    assert [r.pk for r in outside.context["cl"].result_list] == [kept.pk]
    assert [r.pk for r in client.get(url, {"range": "inside"}).context["cl"].result_list] == [inside.pk]


def test_a_reading_kept_from_before_the_range_does_not_count_on_the_scorecard(fcr, department):
    factories.ReadingFactory(metric=fcr, department=department, value=Decimal("180"), date=dt.date(2026, 2, 1))
    factories.ReadingFactory(metric=fcr, department=department, value=Decimal("76"), date=dt.date(2026, 2, 2))
    card = scorecard_compute(period=Period.parse("2026-Q1"), scope="department", department=department)
    line = card.lines.get(part="metric", metric=fcr)
    assert (line.value, line.inputs["readings"]) == (Decimal(76), 1)
