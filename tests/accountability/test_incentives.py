"""Variable pay: customer share and conflicts per department and for the company, and bad weights refused."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accountability.models import MetricConflict, PayPlan, PayWeight
from tests import factories
from tests.admin_world import form_data
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def metrics(db):
    return {
        "talk": factories.MetricFactory(code="talk-time", name="Talk time", about_customers=False),
        "sales": factories.MetricFactory(code="quarterly-sales", name="Quarterly sales", about_customers=False),
        "fcr": factories.MetricFactory(code="fcr", name="First-contact resolution"),
        "nps": factories.MetricFactory(code="nps", name="NPS"),
    }


def _plan(client, department, weights):
    body = {"department": department.pk, "weights": [{"metric": m.pk, "weight": w} for m, w in weights]}
    return client.post("/api/v1/pay-plans/", body, format="json")


def test_customer_share_and_conflict_per_department_and_across_the_company(
    client, cco_staff, executive, department, other_department, metrics
):
    api = token_client(cco_staff)
    response = _plan(api, department, [(metrics["talk"], "3"), (metrics["fcr"], "2"), (metrics["sales"], "0")])
    assert response.status_code == 201, response.json()
    assert response.json()["customer_share"] == "0.4000"  # 2 / (3 + 2); a zero weight pays for nothing
    assert _plan(api, other_department, [(metrics["nps"], "1")]).status_code == 201
    body = {"metric_a": metrics["fcr"].pk, "metric_b": metrics["talk"].pk, "why": "Short calls, unsolved problems"}
    assert api.post("/api/v1/metric-conflicts/", body, format="json").status_code == 201
    factories.MetricConflictFactory(metric_a=metrics["nps"], metric_b=metrics["sales"])  # sales pays 0: no conflict

    client.force_login(executive)
    page = client.get(reverse("admin:review_department", args=[department.slug])).content.decode()
    assert 'id="customer-share">40.0 %' in page
    assert "Service is paid on Talk time and on First-contact resolution, which pull against each other." in page
    billing = client.get(reverse("admin:review_department", args=[other_department.slug])).content.decode()
    assert 'id="customer-share">100.0 %' in billing and "pull against each other" not in billing
    dashboard = client.get(reverse("admin:review_dashboard")).content.decode()
    assert 'id="company-customer-share">70.0 %' in dashboard  # the mean of 40 % and 100 %


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ([("talk", "-1"), ("fcr", "2")], "A weight cannot be negative (Talk time: -1"),
        ([("talk", "0"), ("fcr", "0")], "The weights sum to zero"),
        ([], "The weights sum to zero"),
        ([("fcr", "1"), ("fcr", "2")], "appears twice"),
    ],
)
def test_bad_weights_are_refused_on_weights_and_nothing_is_saved(cco_staff, department, metrics, weights, words):
    response = _plan(token_client(cco_staff), department, [(metrics[k], w) for k, w in weights])
    assert response.status_code == 400
    assert words in str(response.json()["weights"]), response.json()
    assert not PayPlan.objects.exists() and not PayWeight.objects.exists()


def test_changing_a_plan_to_weights_summing_to_zero_keeps_the_old_weights(cco_staff, department, metrics):
    api = token_client(cco_staff)
    plan_id = _plan(api, department, [(metrics["fcr"], "2")]).json()["id"]
    response = api.patch(
        f"/api/v1/pay-plans/{plan_id}/", {"weights": [{"metric": metrics["fcr"].pk, "weight": "0"}]}, format="json"
    )
    assert response.status_code == 400 and "weights" in response.json()
    assert list(PayWeight.objects.values_list("weight", flat=True)) == [Decimal("2.00")]


def test_a_metric_cannot_pull_against_itself(cco_staff, metrics):
    body = {"metric_a": metrics["fcr"].pk, "metric_b": metrics["fcr"].pk}
    response = token_client(cco_staff).post("/api/v1/metric-conflicts/", body, format="json")
    assert response.status_code == 400 and "metric_b" in response.json()
    assert not MetricConflict.objects.exists()


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_only_cco_staff_record_pay(world, role):
    body = {"department": world.department.pk, "weights": [{"metric": world.metric.pk, "weight": "1"}]}
    assert token_client(world.users[role]).post("/api/v1/pay-plans/", body, format="json").status_code == 403


def test_the_admin_refuses_weights_summing_to_zero_and_saves_good_ones(client, cco_staff, department, metrics):
    client.force_login(cco_staff)
    add = "/admin/accountability/payplan/add/"
    data = form_data(client.get(add), department=department.pk)
    data |= {"weights-0-metric": metrics["talk"].pk, "weights-0-weight": "0"}
    response = client.post(add, data)
    assert response.status_code == 200
    assert "The weights sum to zero" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert not PayPlan.objects.exists()
    data |= {"weights-0-weight": "3", "weights-1-metric": metrics["fcr"].pk, "weights-1-weight": "1"}
    assert client.post(add, data).status_code == 302
    plan = PayPlan.objects.get()
    assert sorted(plan.weights.values_list("metric__code", "weight")) == [
        ("fcr", Decimal("1.00")),
        ("talk-time", Decimal("3.00")),
    ]


def test_the_admin_stores_a_conflict_entered_either_way_round_once(client, cco_staff, metrics):
    client.force_login(cco_staff)
    add = "/admin/accountability/metricconflict/add/"
    high, low = sorted((metrics["talk"], metrics["fcr"]), key=lambda m: -m.pk)
    assert client.post(add, {"metric_a": high.pk, "metric_b": low.pk, "why": ""}).status_code == 302
    assert list(MetricConflict.objects.values_list("metric_a", "metric_b")) == [(low.pk, high.pk)]
    response = client.post(add, {"metric_a": low.pk, "metric_b": high.pk, "why": ""})
    assert response.status_code == 200 and MetricConflict.objects.count() == 1
