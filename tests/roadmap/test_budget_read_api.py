"""Budget by purpose through the API: the page's figures, a bad period refused, a pooled pair no longer
flagged, and a fixed number of queries at any size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Initiative
from tests import factories
from tests.api.conftest import token_client
from tests.review.test_budget import _line
from tests.review.test_budget_queries import _grow

pytestmark = pytest.mark.django_db
Q2 = "2026-Q2"


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


@pytest.fixture
def spending(department, other_department):
    """Service and Billing fund FCR over April (one day shared), and more lines aimed elsewhere or at nothing."""
    roadmap = factories.RoadmapFactory(name="FY26")
    fcr = factories.MetricFactory(code="fcr", name="First contact resolution")
    price = factories.LossReasonFactory(name="Price")
    strategic = factories.CustomerSegmentFactory(name="Strategic")
    first = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 4, 30), "3000", "Callbacks", metrics=[fcr])
    second = _line(
        roadmap, other_department, dt.date(2026, 4, 30), dt.date(2026, 6, 30), "1000", "Chat",
        metrics=[fcr], loss_reasons=[price],
    )  # fmt: skip
    _line(roadmap, department, dt.date(2026, 1, 1), dt.date(2026, 12, 31), "36500", "Call centre", segments=[strategic])
    _line(roadmap, other_department, dt.date(2026, 5, 1), dt.date(2026, 7, 31), "9200", "Summer push")
    return first, second


def _page_budget(client, user, period=Q2):
    client.force_login(user)
    return client.get(reverse("admin:review_budget"), {"period": period}).context["budget"]


def test_the_budget_endpoint_shows_the_pages_figures(client, executive, spending):
    budget = _page_budget(client, executive)
    response = token_client(executive).get("/api/v1/budget/", {"period": Q2})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["period"], body["total"], body["duplicates"]) == (Q2, str(budget.total), len(budget.duplicates))
    # By hand: 3,000 (all of April) + 1,000 (30 April to 30 June, all in Q2) + 36,500 x 91/365 = 9,100
    # + 9,200 x 61/92 = 6,100 (May and June of May to July).
    assert body["total"] == "19200.00"
    assert [(d["name"], d["in_period"], d["aimed_at_nothing"]) for d in body["departments"]] == [
        (department.name, _money(total), _money(nothing)) for department, total, nothing in budget.by_department
    ]
    assert [m["kind"] for m in body["by_purpose"]] == ["metric", "loss reason", "segment"]
    for matrix, page in zip(body["by_purpose"], budget.matrices, strict=True):
        assert matrix["columns"] == page.columns
        assert matrix["totals"] == [_money(v) for v in page.totals]
        assert [(r["department"], r["cells"], r["total"]) for r in matrix["rows"]] == [
            (d.pk, [_money(v) for v in cells], _money(total)) for d, cells, total in page.rows
        ]


def test_the_duplicates_endpoint_shows_the_pages_pairs_side_by_side(client, executive, spending):
    first, second = spending
    [page] = _page_budget(client, executive).duplicates
    response = token_client(executive).get("/api/v1/budget/duplicates/", {"period": Q2})
    assert response.status_code == 200, response.json()
    [dup] = response.json()["duplicates"]
    assert (dup["a"]["id"], dup["b"]["id"]) == (first.pk, second.pk)  # the larger line first
    assert dup["shared"] == list(page.shared) == ["metric: First contact resolution"]
    assert (dup["overlap_start"], dup["overlap_end"]) == ("2026-04-30", "2026-04-30")  # one day
    assert (dup["combined"], dup["combined_in_period"]) == (str(page.combined), str(page.combined_in_period))
    assert dup["b"]["purposes"] == ["loss reason: Price", "metric: First contact resolution"]
    assert (dup["a"]["in_period"], dup["b"]["department_name"]) == ("3000.00", second.department.name)


def test_sums_of_the_largest_budgets_are_shown_whole(executive, department, other_department):
    roadmap, fcr, q2 = (
        factories.RoadmapFactory(),
        factories.MetricFactory(),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    )
    _line(roadmap, department, *q2, "999999999999.99", "A", metrics=[fcr])
    _line(roadmap, other_department, *q2, "999999999999.99", "B", metrics=[fcr])
    client = token_client(executive)
    assert client.get("/api/v1/budget/", {"period": Q2}).json()["total"] == "1999999999999.98"
    [dup] = client.get("/api/v1/budget/duplicates/", {"period": Q2}).json()["duplicates"]
    assert dup["combined"] == "1999999999999.98"


def test_lines_that_only_touch_are_not_duplicates_in_the_api_either(executive, department, other_department):
    roadmap, fcr = factories.RoadmapFactory(), factories.MetricFactory()
    _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 4, 30), "3000", "A", metrics=[fcr])
    _line(roadmap, other_department, dt.date(2026, 5, 1), dt.date(2026, 6, 30), "1000", "B", metrics=[fcr])
    assert token_client(executive).get("/api/v1/budget/duplicates/", {"period": Q2}).json()["duplicates"] == []


@pytest.mark.parametrize("path", ["budget/", "budget/duplicates/"])
@pytest.mark.parametrize("period", ["2026-Q9", "soon", "0001-Q1", "2026-13", "x" * 40])
def test_a_bad_period_is_a_400_naming_the_parameter(executive, path, period):
    response = token_client(executive).get(f"/api/v1/{path}", {"period": period})
    assert response.status_code == 400
    assert list(response.json()) == ["period"]


@pytest.mark.parametrize("path", ["budget/", "budget/duplicates/"])
def test_no_period_is_the_current_quarter(executive, path):
    body = token_client(executive).get(f"/api/v1/{path}").json()
    today = timezone.localdate()
    assert body["period"] == f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_pooling_through_the_api_ends_the_duplicate(cco_staff, spending):
    first, second = spending
    body = {"source": second.initiative_id}
    response = token_client(cco_staff).post(f"/api/v1/initiatives/{first.initiative_id}/pool/", body, format="json")
    assert response.status_code == 200, response.json()
    source = Initiative.objects.get(pk=second.initiative_id)
    assert (source.status, source.pooled_into_id) == (Initiative.Status.CANCELLED, first.initiative_id)
    duplicates = token_client(cco_staff).get("/api/v1/budget/duplicates/", {"period": Q2}).json()["duplicates"]
    assert duplicates == []  # one initiative now: no longer two departments paying apart
    assert token_client(cco_staff).get("/api/v1/budget/", {"period": Q2}).json()["total"] == "19200.00"


# The token and its user, the roles, whether a group grants reading budget lines (3), then the lines,
# their departments, and their metrics, loss reasons and segments (5).
API_QUERIES = 8


@pytest.mark.parametrize("path", ["budget/", "budget/duplicates/"])
def test_the_budget_endpoints_run_the_same_queries_at_any_size(cco_staff, django_assert_num_queries, path):
    roadmap, departments, client = factories.RoadmapFactory(), [], token_client(cco_staff)
    _grow(roadmap, departments, 1)
    client.get(f"/api/v1/{path}")  # the key's first use of the minute records it: one more query, once
    with django_assert_num_queries(API_QUERIES):
        small = client.get(f"/api/v1/{path}", {"period": Q2})
    _grow(roadmap, departments, 4)
    with django_assert_num_queries(API_QUERIES):
        large = client.get(f"/api/v1/{path}", {"period": Q2})
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
