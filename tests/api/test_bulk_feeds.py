"""Bulk feeds: all rows or none, every bad row named, idempotency keys, per-department rights."""

import pytest

from core.models import IdempotencyKey
from customers.models import CustomerMovement, Reading
from tests import factories
from tests.api.conftest import token_client


@pytest.fixture
def metric(db):
    return factories.MetricFactory(code="csat")


def reading_rows(n, metric, department):
    row = {"metric": metric.pk, "department": department.pk, "date": "2026-02-01"}
    return [{**row, "value": i % 101} for i in range(n)]


def test_one_bad_row_in_5000_rejects_the_batch_naming_the_row(cco_staff, metric, department):
    rows = reading_rows(5000, metric, department)
    rows[4321]["value"] = "lots"
    response = token_client(cco_staff).post("/api/v1/readings/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert response.json() == {"rows": [{"index": 4321, "errors": {"value": ["A valid number is required."]}}]}
    assert Reading.objects.count() == 0


def test_a_good_batch_of_5000_is_written_with_history(cco_staff, metric, department):
    response = token_client(cco_staff).post(
        "/api/v1/readings/bulk/", {"rows": reading_rows(5000, metric, department)}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 5000 and len(response.json()["ids"]) == 5000
    assert Reading.objects.count() == 5000 == Reading.history.count()


def test_every_bad_row_is_reported_with_its_reason(cco_staff, metric, department, other_department):
    company_metric = factories.MetricFactory(code="nps", level="company")
    rows = reading_rows(6, metric, department)
    rows[1]["metric"] = 999999
    rows[2]["colour"] = "blue"
    rows[3]["date"] = "31/02/2026"
    rows[4]["metric"] = company_metric.pk
    rows[5] = "not an object"
    response = token_client(cco_staff).post("/api/v1/readings/bulk/", {"rows": rows}, format="json")
    errors = {row["index"]: row["errors"] for row in response.json()["rows"]}
    assert response.status_code == 400
    assert set(errors) == {1, 2, 3, 4, 5}
    assert errors[1] == {"metric": ["No metric has id 999999."]}
    assert errors[2] == {"colour": ["Unknown field."]}
    assert list(errors[3]) == ["date"]
    assert "company-level" in errors[4]["department"][0]
    assert list(errors[5]) == ["non_field_errors"]


def test_a_head_writes_only_their_departments_rows(head, metric, department, other_department):
    rows = reading_rows(2, metric, department) + reading_rows(1, metric, other_department)
    response = token_client(head).post("/api/v1/readings/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["rows"] == [
        {"index": 2, "errors": {"department": ["You may only write data of the departments you head."]}}
    ]
    assert Reading.objects.count() == 0


@pytest.mark.parametrize("user", ["executive", "owner"])
def test_executives_and_owners_cannot_feed(user, request, metric, department):
    client = token_client(request.getfixturevalue(user))
    assert (
        client.post("/api/v1/readings/bulk/", {"rows": reading_rows(1, metric, department)}, format="json").status_code
        == 403
    )


def test_the_same_idempotency_key_twice_writes_once(cco_staff, metric, department):
    client, body = token_client(cco_staff), {"rows": reading_rows(3, metric, department)}
    first = client.post("/api/v1/readings/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="batch-42")
    again = client.post("/api/v1/readings/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="batch-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Reading.objects.count() == 3 and IdempotencyKey.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(cco_staff, metric, department):
    client = token_client(cco_staff)
    client.post(
        "/api/v1/readings/bulk/", {"rows": reading_rows(1, metric, department)}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    other = client.post(
        "/api/v1/readings/bulk/", {"rows": reading_rows(2, metric, department)}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 422 and "Idempotency-Key" in other.json()
    assert Reading.objects.count() == 1


def test_a_rejected_batch_does_not_use_up_its_key(cco_staff, metric, department):
    client, rows = token_client(cco_staff), reading_rows(2, metric, department)
    bad = [*rows[:1], {**rows[1], "value": "x"}]
    assert (
        client.post("/api/v1/readings/bulk/", {"rows": bad}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    )
    assert (
        client.post("/api/v1/readings/bulk/", {"rows": rows}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code
        == 201
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"rows": []}, "Send"),
        ([], "Send"),
        ({"rows": [{}], "extra": 1}, "Send"),
        ({"rows": [{}] * 5001}, "At most 5000 rows"),
    ],
)
def test_a_malformed_envelope_is_400_naming_rows(cco_staff, body, message):
    response = token_client(cco_staff).post("/api/v1/movements/bulk/", body, format="json")
    assert response.status_code == 400
    assert response.json()["rows"][0].startswith(message)


def test_movements_feed_checks_the_loss_reason_rule_per_row(cco_staff, department):
    segment, reason = factories.CustomerSegmentFactory(), factories.LossReasonFactory()
    base = {"date": "2026-02-01", "segment": segment.pk, "department": department.pk, "count": 3}
    rows = [{**base, "kind": "lost", "loss_reason": reason.pk}, {**base, "kind": "lost"}, {**base, "kind": "gained"}]
    response = token_client(cco_staff).post("/api/v1/movements/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert [row["index"] for row in response.json()["rows"]] == [1]
    assert CustomerMovement.objects.count() == 0
    del rows[1]
    assert token_client(cco_staff).post("/api/v1/movements/bulk/", {"rows": rows}, format="json").status_code == 201
    assert CustomerMovement.objects.count() == 2


def test_a_bad_idempotency_key_is_400(cco_staff, metric, department):
    response = token_client(cco_staff).post(
        "/api/v1/readings/bulk/",
        {"rows": reading_rows(1, metric, department)},
        format="json",
        HTTP_IDEMPOTENCY_KEY="x" * 201,
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
