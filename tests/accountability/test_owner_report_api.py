"""An owner's accountability report through the API: the page's figures, the page's readers, a bad period
refused naming it, and a fixed number of queries at any size."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.api.conftest import token_client
from tests.review.test_owner_report import _grow, frozen, work  # noqa: F401 - the page tests' data and clock

pytestmark = pytest.mark.django_db
URL = "/api/v1/owners/{pk}/report/"


def _api(user, owner, **params):
    return token_client(user).get(URL.format(pk=owner.pk), {"period": "2026-Q1", **params})


def test_the_report_shows_the_pages_figures(client, owner, work):  # noqa: F811
    client.force_login(owner)
    page = client.get(reverse("admin:review_owner_report", args=[owner.pk]), {"period": "2026-Q1"})
    report = page.context["report"]
    response = _api(owner, owner)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["owner"], body["period"], body["today"]) == (owner.pk, "2026-Q1", "2026-03-20")
    d = report.delivery
    assert {k: body["delivery"][k] for k in ("due", "on_time", "late", "overdue", "pending", "promised", "kept")} == {
        "due": d.due, "on_time": d.on_time, "late": d.late, "overdue": d.overdue, "pending": d.pending,
        "promised": d.promised, "kept": d.kept,
    }  # fmt: skip
    # The hand-computed figures of tests/review/test_owner_report.py: 4 due, 1 on time, 1 of 3 promises kept.
    assert (d.due, d.on_time, d.kept) == (4, 1, 1)
    assert (body["delivery"]["on_time_rate"], body["delivery"]["score"]) == ("0.2500", "25.00")
    assert (body["delivery"]["say_do_rate"], body["delivery"]["slips"], body["delivery"]["slip_days"]) == (
        "0.3333", 1, 13,
    )  # fmt: skip
    assert body["hand_offs"] == {"due": 2, "on_time": 1, "rate": "0.5000"}
    assert body["participation"] == {"pledges": 1, "pledge_months": 3, "took_part": 2, "rate": "0.6667"}
    [pledge] = body["pledges"]
    assert (pledge["initiative_title"], pledge["hours_per_month"], pledge["months"], pledge["took_part"]) == (
        "Fix onboarding", "8.0", 3, 2,
    )  # fmt: skip
    assert (
        [r["note"] for r in body["recognitions"]]
        == [r.note for r in report.recognitions]
        == ["Saved the Acme account."]
    )
    [metric] = body["metrics"]
    assert (metric["initiatives"], metric["company_value"], metric["company_score"], metric["colour"]) == (
        ["Fix onboarding"], "76.0000", "80.00", "amber",
    )  # fmt: skip


def test_a_metric_with_no_company_scorecard_line_is_null(owner, department):
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    initiative.metrics.add(factories.MetricFactory(name="Churn"))
    factories.TaskFactory(owner=owner, department=department, initiative=initiative, due_date=dt.date(2026, 2, 1))
    [metric] = _api(owner, owner).json()["metrics"]
    assert (metric["name"], metric["company_value"], metric["colour"]) == ("Churn", None, None)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("head", 200),  # heads the owner's department
        ("cco_staff", 200),
        ("executive", 200),
        ("other_head", 403),  # heads another department
        ("colleague", 403),  # a task owner in the same department
    ],
)
def test_the_report_has_the_pages_readers(request, owner, department, who, status):
    if who == "colleague":
        user = factories.TaskOwnerFactory(username="colleague")
        department.members.add(user)
    else:
        user = request.getfixturevalue(who)
    response = _api(user, owner)
    assert response.status_code == status
    assert status == 200 or "detail" in response.json()


def test_an_unknown_owner_is_404_and_a_bad_period_is_a_400_naming_it(cco_staff, owner):
    client = token_client(cco_staff)
    assert client.get(URL.format(pk=999_999)).status_code == 404
    assert client.get(URL.format(pk=2**63)).status_code == 404
    response = client.get(URL.format(pk=owner.pk), {"period": "2026-Q9"})
    assert response.status_code == 400 and list(response.json()) == ["period"]


def test_anonymous_gets_401(owner):
    assert token_client().get(URL.format(pk=owner.pk)).status_code == 401


# The token with its user, the roles (2), then the report's own reads: the owner (1), the scorecard
# settings, delivery, hand-offs, pledges, check-ins, task edits, meetings, recognitions, initiatives
# and their metrics (2), the company's metric lines. The owner reading their own report asks
# nothing about departments.
API_QUERIES = 14  # the page's export: 15, with a session instead of a token


def test_the_report_runs_the_same_queries_at_any_size(owner, department, django_assert_num_queries):
    client = token_client(owner)
    _grow(owner, department, 1)
    client.get(URL.format(pk=owner.pk))  # the key's first use of the minute records it: one more query, once
    with django_assert_num_queries(API_QUERIES):
        small = client.get(URL.format(pk=owner.pk), {"period": "2026-Q1"})
    _grow(owner, department, 6)
    with django_assert_num_queries(API_QUERIES):
        large = client.get(URL.format(pk=owner.pk), {"period": "2026-Q1"})
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
