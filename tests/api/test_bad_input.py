"""Bad input is a 400 (or 404) with a JSON body naming the field, never a 500, and writes nothing."""

import datetime as dt
import json

import pytest

from accountability.models import Scorecard
from roadmap.models import CheckIn, Task
from tests import factories
from tests.api.conftest import token_client


@pytest.fixture
def cco(cco_staff):
    return token_client(cco_staff)


@pytest.fixture
def task_payload(world):
    return {
        "initiative": world.initiative.pk,
        "department": world.department.pk,
        "title": "Fix the invoice layout",
        "due_date": "2026-05-01",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "01/05/2026"}, "due_date"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"percent_complete": "half"}, "percent_complete"),
        ({"percent_complete": 101}, "percent_complete"),
        ({"department": 10**30}, "department"),
        ({"department": 999999}, "department"),
        ({"owner": "someone"}, "owner"),
        ({"status": "finished"}, "status"),
        ({"title": "é" * 201}, "title"),
        ({"title": "bad\x00byte"}, "title"),
        ({"depends_on": [999999]}, "depends_on"),
        ({"depends_on": "1"}, "depends_on"),
        ({"due_date": "2030-01-01"}, "due_date"),  # outside the initiative: the model's clean() says so
    ],
)
def test_bad_task_fields_are_400_naming_the_field(cco, task_payload, change, field):
    response = cco.post("/api/v1/tasks/", {**task_payload, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Task.objects.filter(title=task_payload["title"]).count() == 0


def test_a_lone_surrogate_in_json_is_400(cco, task_payload):
    body = json.dumps(task_payload)[:-1] + ', "title": "\\ud800"}'
    response = cco.post("/api/v1/tasks/", data=body, content_type="application/json")
    assert response.status_code == 400 and "title" in response.json()


def test_unicode_titles_are_fine(cco, task_payload):
    response = cco.post("/api/v1/tasks/", {**task_payload, "title": "Kundenzufriedenheit 顧客 🚀"}, format="json")
    assert response.status_code == 201


def test_a_dependency_cycle_is_400_from_the_service(cco, world):
    other = factories.TaskFactory(initiative=world.initiative, department=world.department)
    world.task.depends_on.add(other)
    response = cco.patch(f"/api/v1/tasks/{other.pk}/", {"depends_on": [world.task.pk]}, format="json")
    assert response.status_code == 400 and "cycle" in response.json()["depends_on"][0]


def test_malformed_json_is_400(cco):
    response = cco.post("/api/v1/tasks/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "department=abc",
        "department=99999999999999999999999999",
        "due_after=yesterday",
        "status=finished",
        "page=abc",
        "page=0",
        "search=a%00b",
    ],
)
def test_bad_filters_are_4xx_with_json(cco, world, query):
    response = cco.get(f"/api/v1/tasks/?{query}")
    assert response.status_code in (400, 404), response.content
    assert response.json()


@pytest.mark.parametrize("query", ["period=2026-Q5", "period=soon", "period=2026-13"])
def test_a_bad_period_filter_names_period(cco, world, query):
    response = cco.get(f"/api/v1/readings/?{query}")
    assert response.status_code == 400 and "period" in response.json()


@pytest.mark.parametrize("path", ["/api/v1/tasks/abc/", "/api/v1/tasks/99999999999999999999999/", "/api/v1/nothing/"])
def test_unknown_addresses_are_json_404(cco, world, path):
    response = cco.get(path)
    assert response.status_code == 404 and response.json()["detail"]


def test_a_check_in_for_a_task_you_cannot_see_is_refused_like_a_missing_one(other_head, world):
    response = token_client(other_head).post("/api/v1/check-ins/", {"task": world.task.pk, "percent_complete": 5})
    assert response.status_code == 400 and "task" in response.json()
    assert CheckIn.objects.filter(percent_complete=5).count() == 0


def test_a_duplicate_target_is_400_with_the_model_message(cco, world):
    payload = {"metric": world.metric.pk, "department": world.department.pk, "period_kind": "quarter"}
    payload |= {"period_start": "2026-01-01", "target_value": "80", "amber_threshold": "70"}
    response = cco.post("/api/v1/targets/", payload, format="json")
    assert response.status_code == 400
    assert "already has a target" in str(response.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [({"period": "2026-Q9"}, "period"), ({"period": "2026-Q1", "department": 999999}, "department"), ({}, "period")],
)
def test_recompute_names_the_bad_field(cco, world, body, field):
    response = cco.post("/api/v1/scorecards/recompute/", body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_recompute_computes_the_period_it_is_given(cco, world):
    response = cco.post("/api/v1/scorecards/recompute/", {"period": "2026-q1", "department": world.department.pk})
    assert response.status_code == 202 and response.json()["period"] == "2026-Q1"
    assert response.json()["department_ids"] == [world.department.pk]
    computed = Scorecard.objects.filter(period_kind="quarter", period_start=dt.date(2026, 1, 1))
    assert set(computed.values_list("scope", "department")) >= {("company", None), ("department", world.department.pk)}
    assert not Scorecard.objects.exclude(period_start=dt.date(2026, 1, 1)).exists()


@pytest.mark.parametrize("change", [{"metrics": []}, {"departments": []}])
def test_initiative_links_are_set_on_create_only(cco, world, change):
    response = cco.patch(f"/api/v1/initiatives/{world.initiative.pk}/", change, format="json")
    assert response.status_code == 400 and list(response.json()) == list(change)
