"""The customer case through the API: written with an initiative, replaced list by list, refused whole when bad."""

import pytest

from roadmap.models import Initiative
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    metric = factories.MetricFactory(code="first-contact-resolution", unit="%")
    return {
        "segment": factories.CustomerSegmentFactory(name="Strategic"),
        "reason": factories.LossReasonFactory(name="Service failure"),
        "metric": metric,
        "roadmap": factories.RoadmapFactory(),
    }


def _payload(case, cco_staff, **changes):
    body = {
        "roadmap": case["roadmap"].pk,
        "title": "Fix first-contact resolution",
        "outcome": "Customers' problems solved on the first call.",
        "owner": cco_staff.pk,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "segments": [{"segment": case["segment"].pk, "customers": 120}],
        "loss_reasons": [case["reason"].pk],
        "expectations": [{"metric": case["metric"].pk, "expected_value": "80", "by_date": "2026-06-30"}],
        "profit_at_stake": "250000.00",
    }
    return {**body, **changes}


def test_an_initiative_is_created_with_its_whole_customer_case(case, cco_staff):
    response = token_client(cco_staff).post("/api/v1/initiatives/", _payload(case, cco_staff), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["segments"] == [{"segment": case["segment"].pk, "customers": 120}]
    assert body["loss_reasons"] == [case["reason"].pk]
    assert body["expectations"] == [{"metric": case["metric"].pk, "expected_value": "80.0000", "by_date": "2026-06-30"}]
    assert body["profit_at_stake"] == "250000.00"
    assert (body["proposal"], body["drafted_by"]) == ("draft", cco_staff.pk)
    assert body["metrics"] == [case["metric"].pk]  # a metric it should move is one of its metrics


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"expectations": [{"expected_value": "180", "by_date": "2026-06-30"}]}, "expectations", "outside the range"),
        ({"segments": [{"customers": 0}]}, "segments", "greater than or equal to 1"),
        ({"profit_at_stake": "-5"}, "profit_at_stake", "greater than or equal to 0"),
        ({"expectations": [{"by_date": None}]}, "expectations", "may not be null"),
        ({"loss_reasons": [2**31 - 1]}, "loss_reasons", "not one you may choose"),
    ],
)
def test_a_bad_part_of_the_case_is_refused_naming_the_field_and_nothing_is_saved(
    case, cco_staff, changes, field, words
):
    body = _payload(case, cco_staff)
    for name, value in changes.items():
        body[name] = (
            [{**body[name][0], **value[0]}] if isinstance(value, list) and isinstance(value[0], dict) else value
        )
    response = token_client(cco_staff).post("/api/v1/initiatives/", body, format="json")
    assert response.status_code == 400
    assert words in str(response.json()[field]), response.json()
    assert not Initiative.objects.exists()


def test_a_segment_named_twice_is_refused(case, cco_staff):
    twice = [{"segment": case["segment"].pk, "customers": 1}, {"segment": case["segment"].pk, "customers": 2}]
    response = token_client(cco_staff).post(
        "/api/v1/initiatives/", _payload(case, cco_staff, segments=twice), format="json"
    )
    assert response.status_code == 400
    assert response.json()["segments"] == ["Each segment may appear once."]


def test_an_update_replaces_the_lists_given_and_keeps_the_others(case, cco_staff):
    client = token_client(cco_staff)
    pk = client.post("/api/v1/initiatives/", _payload(case, cco_staff), format="json").json()["id"]
    growth = factories.CustomerSegmentFactory(name="Growth")
    response = client.patch(
        f"/api/v1/initiatives/{pk}/", {"segments": [{"segment": growth.pk, "customers": 30}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["segments"] == [{"segment": growth.pk, "customers": 30}]
    assert response.json()["loss_reasons"] == [case["reason"].pk]


def test_an_expected_value_outside_the_range_is_refused_on_update_and_the_case_is_unchanged(case, cco_staff):
    client = token_client(cco_staff)
    pk = client.post("/api/v1/initiatives/", _payload(case, cco_staff), format="json").json()["id"]
    bad = [{"metric": case["metric"].pk, "expected_value": "-3", "by_date": "2026-06-30"}]
    response = client.patch(f"/api/v1/initiatives/{pk}/", {"expectations": bad, "title": "New"}, format="json")
    assert response.status_code == 400
    assert "-3 is outside the range of First Contact Resolution: 0 to 100." in str(response.json()["expectations"])
    initiative = Initiative.objects.get(pk=pk)
    assert (initiative.title, initiative.expectations.get().expected_value) == ("Fix first-contact resolution", 80)


def test_the_initiative_list_takes_the_same_queries_for_one_or_many_cases(case, cco_staff, django_assert_num_queries):
    client = token_client(cco_staff)
    client.post("/api/v1/initiatives/", _payload(case, cco_staff), format="json")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/initiatives/").status_code == 200
        return len(queries)

    few = count()
    for n in range(4):
        client.post("/api/v1/initiatives/", _payload(case, cco_staff, title=f"Another {n}"), format="json")
    assert count() == few
