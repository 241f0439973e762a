"""manage.py demo_data: what the default demo promises, idempotence and logins (options: test_demo_options.py)."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q

from accountability.models import Recognition, ScorecardSettings
from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading, Target
from org.models import Department
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS
from roadmap.models import CheckIn, Initiative, InitiativeDepartment, Roadmap, Task
from tests.core.test_db_statistics import statistics_of_movements
from tests.demo.conftest import demo, demo_built_once

demo_output = demo_built_once()  # the default demo, built once for this module's tests
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]
TODAY = dt.date(2026, 11, 16)
PROMISED_METRICS = ["customers", "customers_gained", "customers_lost", "retention", "nps", "first_contact_resolution",
                    "complaints_per_1000", "revenue", "cost_to_serve"]  # fmt: skip
ALL_MODELS = [
    get_user_model(), Department, Roadmap, Initiative, InitiativeDepartment, Task, Task.depends_on.through, CheckIn,
    CustomerSegment, LossReason, Metric, Target, Reading, CustomerMovement, Recognition, ScorecardSettings,
]  # fmt: skip


@pytest.fixture(autouse=True)
def frozen_today(frozen_now):
    return frozen_now


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def test_the_default_demo_builds_every_promised_minimum():
    departments = Department.objects.annotate(people=Count("members"))
    assert departments.count() >= 6
    assert {"sales", "service", "marketing", "billing", "product", "operations"} <= {d.slug for d in departments}
    assert all(d.head_id and d.people >= 1 for d in departments)
    assert set(Roadmap.objects.values_list("status", flat=True)) == {"active", "archived"}
    assert Initiative.objects.exclude(outcome="").count() >= 20
    assert Initiative.objects.filter(metrics__isnull=False).distinct().count() >= 20
    assert InitiativeDepartment.objects.filter(budget__gt=0).count() >= 40
    assert Task.objects.count() >= 300
    assert {s.slug for s in CustomerSegment.objects.all()} == {"strategic", "growth", "core", "unprofitable"}
    assert LossReason.objects.count() == 7
    codes = set(Metric.objects.values_list("code", flat=True))
    assert set(PROMISED_METRICS) <= codes
    assert Target.objects.filter(period_kind="month").exists() and Target.objects.filter(period_kind="quarter").exists()
    assert Recognition.objects.count() >= 3
    assert ScorecardSettings.objects.count() == 1


def test_the_default_demo_spreads_tasks_over_every_state_with_handoffs_across_departments():
    open_ = ~Q(status__in=["done", "cancelled"])
    assert Task.objects.filter(open_, due_date__lt=TODAY).count() >= 10  # overdue
    assert Task.objects.filter(due_date__gt=TODAY).count() >= 30  # still to come
    assert Task.objects.filter(status="blocked").count() >= 5
    assert Task.objects.filter(status="done", completed_at__date__gt=F("due_date")).count() >= 10  # done late
    assert Task.objects.filter(status="done", completed_at__date__lte=F("due_date")).count() >= 50  # on time
    handoffs = Task.depends_on.through.objects.exclude(from_task__department=F("to_task__department"))
    assert handoffs.count() >= 30
    assert CheckIn.objects.count() >= 300


def test_the_default_demo_has_24_months_of_readings_and_movements_with_loss_reasons():
    months = {(d.year, d.month) for d in Reading.objects.values_list("date", flat=True)}
    assert len(months) == 24 and max(months) == (2026, 11)
    moved = {(d.year, d.month) for d in CustomerMovement.objects.values_list("date", flat=True)}
    assert len(moved) == 24
    lost = CustomerMovement.objects.filter(kind="lost")
    assert lost.exists() and not lost.filter(loss_reason__isnull=True).exists()
    assert lost.values("loss_reason").distinct().count() == 7
    assert Reading.objects.filter(metric__code="revenue", segment__slug="unprofitable").count() == 24


def test_demo_rows_obey_every_model_rule_and_handoffs_make_no_cycle():
    """Bulk writes skip full_clean(); this proves the generated rows would have passed it."""
    # Keys and constraints are enforced by the database itself; this checks the rest of full_clean().
    for model, related in [(Task, "initiative"), (CheckIn, None), (Reading, "metric"), (Target, "metric"),
                           (CustomerMovement, None), (Initiative, None)]:  # fmt: skip
        keys = [f.name for f in model._meta.fields if f.is_relation]
        for row in model.objects.select_related(*filter(None, [related])):
            row.clean_fields(exclude=keys)
            row.clean()
    edges = dict.fromkeys(Task.objects.values_list("pk", flat=True), ())
    for source, target in Task.depends_on.through.objects.values_list("from_task_id", "to_task_id"):
        edges[source] = (*edges[source], target)
    state: dict[int, str] = {}

    def visit(node: int) -> None:
        assert state.get(node) != "open", f"dependency cycle through task {node}"
        if node not in state:
            state[node] = "open"
            for after in edges[node]:
                visit(after)
            state[node] = "closed"

    for node in edges:
        visit(node)


def test_running_the_demo_twice_creates_no_duplicates():
    first = counts()  # after the first run (demo_output)
    output = demo()
    assert counts() == first
    assert "skipped, already present" in output


def test_each_printed_demo_user_can_log_in_to_the_admin(client, demo_output):
    users = re.findall(r"user (\S+)\s+password (\S+)", demo_output)
    assert len(users) == 4
    groups = {get_user_model().objects.get(username=u).groups.get().name for u, _ in users}
    assert groups == {CCO_STAFF, EXECUTIVES, DEPARTMENT_HEADS, TASK_OWNERS}
    for username, password in users:
        # Through the login form, as a person does (the lockout's backend needs the request).
        response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
        assert response.status_code == 302 and response["Location"] == "/admin/", username
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_the_demo_budget_view_flags_service_and_sales_funding_first_contact_resolution(client):
    client.force_login(get_user_model().objects.get(username="cco"))
    budget = client.get("/admin/review/budget/").context["budget"]
    pairs = [({d.a.line.department.slug, d.b.line.department.slug}, d.shared) for d in budget.duplicates]
    assert ({"service", "sales"}, ("loss reason: Service failure", "metric: First-contact resolution")) in pairs


def test_the_demo_task_force_faded_after_the_kick_off(client):
    initiative = Initiative.objects.get(title="Win back lapsed customers")
    client.force_login(get_user_model().objects.get(username="cco"))
    response = client.get(f"/admin/review/initiative/{initiative.pk}/participation/")
    months = response.context["participation"].months
    assert [(len(m.present), m.pledged, m.faded) for m in months[:2]] == [(40, 40, False), (6, 40, True)]


def test_the_demo_shows_service_paid_on_talk_time_and_first_contact_resolution(client):
    client.force_login(get_user_model().objects.get(username="cco"))
    page = client.get("/admin/review/department/service/").content.decode()
    assert 'id="customer-share">40.0 %' in page
    assert "Service is paid on Talk time and on First-contact resolution, which pull against each other." in page
    dashboard = client.get("/admin/review/").content.decode()
    assert 'id="company-customer-share">32.5 %' in dashboard  # Service 40 %, Sales 25 %


def test_the_demo_leaves_the_planner_statistics_of_what_it_wrote():
    assert statistics_of_movements() > 0
