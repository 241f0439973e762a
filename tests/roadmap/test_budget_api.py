"""Budget lines and pooling through the API: what each line is for, bad input refused, nothing half-saved."""

import pytest

from roadmap.models import Initiative, InitiativeDepartment
from tests import factories
from tests.admin_world import form_data
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_cco_staff_create_a_budget_line_with_what_it_is_for(world):
    price = factories.LossReasonFactory(name="Price")
    body = {
        "initiative": world.initiative.pk,
        "department": world.other_department.pk,
        "budget": "1200.00",
        "metrics": [world.metric.pk],
        "loss_reasons": [price.pk],
        "segments": [world.segment.pk],
    }
    response = token_client(world.cco_staff).post("/api/v1/budget-lines/", body, format="json")
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in body} == body
    line = InitiativeDepartment.objects.get(pk=response.json()["id"])
    assert list(line.loss_reasons.all()) == [price]


def test_changing_the_purposes_replaces_them(world):
    url = f"/api/v1/budget-lines/{world.budget_line.pk}/"
    world.budget_line.metrics.add(world.metric)
    response = token_client(world.cco_staff).patch(url, {"segments": [world.segment.pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["metrics"], response.json()["segments"]) == ([world.metric.pk], [world.segment.pk])
    response = token_client(world.cco_staff).patch(url, {"metrics": []}, format="json")
    assert response.json()["metrics"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "-1.00"}, "budget"),
        ({"budget": "abc"}, "budget"),
        ({"department": "same"}, "department"),  # a second line for a department already on the initiative
        ({"metrics": [2**31 - 1]}, "metrics"),
    ],
)
def test_a_bad_budget_line_is_refused_naming_the_field_and_nothing_is_saved(world, change, field):
    body = {"initiative": world.initiative.pk, "department": world.other_department.pk, "budget": "10.00"}
    if change.get("department") == "same":
        change = {"department": world.department.pk}
    before = InitiativeDepartment.objects.count()
    response = token_client(world.cco_staff).post("/api/v1/budget-lines/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert InitiativeDepartment.objects.count() == before


def _two(world, roadmap=None):
    source = factories.InitiativeFactory(roadmap=roadmap or world.roadmap, title="Chat bot")
    factories.InitiativeDepartmentFactory(initiative=source, department=world.other_department, budget=300)
    return source


def test_cco_staff_pool_through_the_api(world):
    source = _two(world)
    url = f"/api/v1/initiatives/{world.initiative.pk}/pool/"
    response = token_client(world.cco_staff).post(url, {"source": source.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == world.initiative.pk
    assert {d["department"] for d in response.json()["departments"]} == {world.department.pk, world.other_department.pk}
    got = token_client(world.cco_staff).get(f"/api/v1/initiatives/{source.pk}/").json()
    assert (got["status"], got["pooled_into"]) == ("cancelled", world.initiative.pk)


@pytest.mark.parametrize("case", ["other roadmap", "unknown", "itself", "missing"])
def test_a_bad_pool_is_refused_naming_source_and_changes_nothing(world, case):
    source = _two(world, factories.RoadmapFactory(name="FY27") if case == "other roadmap" else None)
    body = {
        "other roadmap": {"source": source.pk},
        "unknown": {"source": 2**31 - 1},
        "itself": {"source": world.initiative.pk},
        "missing": {},
    }[case]
    url = f"/api/v1/initiatives/{world.initiative.pk}/pool/"
    response = token_client(world.cco_staff).post(url, body, format="json")
    assert response.status_code == 400
    assert "source" in response.json(), response.json()
    assert Initiative.objects.filter(pooled_into__isnull=False).count() == 0
    assert InitiativeDepartment.objects.get(initiative=source).initiative_id == source.pk


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_only_cco_staff_pool_through_the_api(world, role):
    source = _two(world)
    url = f"/api/v1/initiatives/{world.initiative.pk}/pool/"
    response = token_client(world.users[role]).post(url, {"source": source.pk}, format="json")
    assert response.status_code == 403
    assert Initiative.objects.get(pk=source.pk).pooled_into is None


def test_the_initiative_admin_sets_what_a_budget_line_is_for(client, world):
    change = f"/admin/roadmap/initiative/{world.initiative.pk}/change/"
    client.force_login(world.cco_staff)
    data = form_data(client.get(change))
    prefix = "department_links-0"
    assert data[f"{prefix}-id"] == str(world.budget_line.pk)
    data[f"{prefix}-metrics"] = [str(world.metric.pk)]
    data[f"{prefix}-segments"] = [str(world.segment.pk)]
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(world.budget_line.metrics.all()) == [world.metric]
    assert list(world.budget_line.segments.all()) == [world.segment]
