"""GET /api/v1/initiatives/{id}/follow-through/: the figures of the timeline page, as JSON.

The hand-computed case of tests/review/test_follow_through.py: first-contact resolution was 71
in 2026-Q1, 74 while "Better first calls" ran (Q2), 76 in Q3, against 80 expected; Service
failure lost 10 customers before and 4 after.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import token_client
from tests.review.test_follow_through import _today, case  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_follow_through_says_was_71_now_76_against_80(case, executive):  # noqa: F811
    response = token_client(executive).get(f"/api/v1/initiatives/{case['better'].pk}/follow-through/")
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["status"], body["did_not_move"]) == ("Better first calls", "done", False)
    (fcr,) = body["metrics"]
    assert (
        fcr["code"] == "first-contact-resolution" and fcr["expected_value"] == "80.0000" and fcr["by"] == "2026-06-30"
    )
    assert (fcr["before_period"], fcr["before"], fcr["now_period"], fcr["now"]) == (
        "2026-Q1",
        "71.0000",
        "2026-Q3",
        "76.0000",
    )
    assert fcr["trend"] == [{"period": "2026-Q2", "value": "74.0000"}]
    assert (fcr["moved"], fcr["reached"]) == (True, False)
    assert body["loss_reasons"] == [{"name": "Service failure", "before": 10, "now": 4}]


def test_a_finished_initiative_that_did_not_move_says_so(case, owner):  # noqa: F811
    body = token_client(owner).get(f"/api/v1/initiatives/{case['fewer'].pk}/follow-through/").json()
    assert body["did_not_move"] is True and body["metrics"][0]["moved"] is False


def test_the_follow_through_takes_the_same_queries_with_more_expectations_and_reasons(case, executive):  # noqa: F811
    from tests import factories

    client, url = token_client(executive), f"/api/v1/initiatives/{case['better'].pk}/follow-through/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for i in range(4):
        metric = factories.MetricFactory(code=f"extra-{i}")
        factories.InitiativeExpectationFactory(initiative=case["better"], metric=metric, expected_value=5)
        case["better"].loss_reasons.add(factories.LossReasonFactory(name=f"Extra {i}"))
        factories.ReadingFactory(metric=metric, value=3)
    assert count() == few
