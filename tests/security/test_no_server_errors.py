"""No client input causes a 500: bounded periods and dates, filter errors that never format client text,
a JSON 413 for oversized bodies that still fits the documented feeds, bounded text, sane check-in dates."""

import datetime as dt
import json
from importlib import import_module

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.api_filters import DateFilter, PeriodFilter
from roadmap.models import CheckIn, Task
from tests import factories
from tests.api.conftest import token_client

ROUTERS = ["roadmap.api.urls", "customers.api.urls", "accountability.api.urls"]


def _filters(kind) -> list[tuple[str, str]]:
    found = []
    for module in ROUTERS:
        for prefix, viewset, _name in import_module(module).router.registry:
            filterset = getattr(viewset, "filterset_class", None)
            for name, flt in filterset.base_filters.items() if filterset else []:
                if isinstance(flt, kind):
                    found.append((prefix, name))
    return found


PERIOD_FILTERS = _filters(PeriodFilter)
DATE_FILTERS = _filters(DateFilter)
BAD_PERIODS = ["%", "%s", "%(x)s", "9999-12", "9999-Q4", "1899-12", "2201-Q1", "0-01", "x" * 300]


def test_the_period_and_date_filters_are_found():
    assert {endpoint for endpoint, _ in PERIOD_FILTERS} == {"readings", "movements", "targets", "scorecards"}
    assert len(DATE_FILTERS) >= 6


@pytest.mark.parametrize(("endpoint", "param"), PERIOD_FILTERS)
@pytest.mark.parametrize("value", BAD_PERIODS)
def test_a_bad_period_is_a_400_naming_the_parameter_without_echoing_it(world, endpoint, param, value):
    response = token_client(world.users["cco"]).get(f"/api/v1/{endpoint}/", {param: value})
    assert response.status_code == 400
    assert response.json() == {
        param: ["Write a period as 2026-Q3 for a quarter or 2026-07 for a month, in the years 1900 to 2200."]
    }


@pytest.mark.parametrize(("endpoint", "param"), DATE_FILTERS)
@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "0001-01-01", "%"])
def test_a_date_out_of_range_or_malformed_is_a_400_naming_the_parameter(world, endpoint, param, value):
    response = token_client(world.users["cco"]).get(f"/api/v1/{endpoint}/", {param: value})
    assert response.status_code == 400 and list(response.json()) == [param]


def test_the_edges_of_the_range_are_accepted(world):
    client = token_client(world.users["cco"])
    assert client.get("/api/v1/readings/", {"period": "1900-01"}).status_code == 200
    assert client.get("/api/v1/readings/", {"period": "2200-Q4"}).status_code == 200
    assert client.get("/api/v1/tasks/", {"due_after": "1900-01-01", "due_before": "2200-12-31"}).status_code == 200


@pytest.mark.parametrize(
    ("page", "param"),
    [("admin:review_dashboard", "period"), ("admin:review_compare", "a"), ("admin:review_compare", "b")],
)
@pytest.mark.parametrize("value", ["9999-12", "9999-Q4", "1899-Q1", "%"])
def test_review_pages_answer_a_bad_period_with_400_naming_it(world, page, param, value):
    client = Client()
    client.force_login(world.users["executive"])
    response = client.get(reverse(page), {param: value})
    assert response.status_code == 400
    assert f"{param}: " in response.content.decode()


@pytest.mark.parametrize("value", ["9999-Q4", "1899-12"])
def test_the_department_page_and_the_pdf_answer_a_bad_period_with_400(world, value):
    client = Client()
    client.force_login(world.users["executive"])
    page = client.get(reverse("admin:review_department", args=[world.department.slug]), {"period": value})
    assert page.status_code == 400 and "period: " in page.content.decode()
    pdf = client.get(reverse("admin:review_scorecard_export", args=["pdf"]), {"period": value})
    assert pdf.status_code == 400 and "Years run from 1900 to 2200." in pdf.content.decode()


def test_the_recompute_endpoint_refuses_a_period_out_of_range(world):
    response = token_client(world.users["cco"]).post("/api/v1/scorecards/recompute/", {"period": "9999-Q4"})
    assert response.status_code == 400 and "Years run from 1900 to 2200." in response.json()["period"][0]


# Bodies


def _movements(rows: int, note: str) -> bytes:
    row = {"date": "2026-03-01", "kind": "gained", "segment": 0, "count": 1, "note": note}
    return json.dumps({"rows": [row] * rows}).encode()


def test_an_oversized_body_is_a_json_413_naming_the_limit(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = token_client(world.users["cco"])
    response = client.post("/api/v1/movements/bulk/", _movements(20, "x" * 100), content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than the limit of 1000 bytes (0 MB); send fewer rows per request."
    }


@pytest.mark.anydb  # about the body limit, not the database
def test_the_documented_feed_of_5000_movements_with_500_character_notes_fits_the_limit(world):
    client = token_client(world.users["cco"])
    body = _movements(5000, "é" * 500).replace(b'"segment": 0', f'"segment": {world.segment.pk}'.encode())
    body = body.replace(b"\\u00e9", "é".encode())  # as a client sends it: UTF-8, 2 bytes a character
    assert len(body) > 2.5 * 2**20  # over Django's default limit, which answered an HTML 400
    response = client.post("/api/v1/movements/bulk/", body, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    assert response.json()["created"] == 5000


# Text and dates people enter


@pytest.mark.parametrize(
    ("endpoint", "field", "limit"),
    [("check-ins", "note", 2000), ("recognitions", "note", 1000)],
)
def test_notes_over_their_limit_are_a_400_naming_the_field(world, endpoint, field, limit):
    body = {"task": world.task.pk, "percent_complete": 10, "recipient": world.recipient.pk}
    response = token_client(world.users["owner"]).post(f"/api/v1/{endpoint}/", {**body, field: "x" * (limit + 1)})
    assert response.status_code == 400 and "no more than" in response.json()[field][0]
    assert (
        token_client(world.users["owner"]).post(f"/api/v1/{endpoint}/", {**body, field: "x" * limit}).status_code == 201
    )


def test_a_task_description_over_5000_characters_is_refused_and_nothing_changes(world):
    client = token_client(world.users["owner"])
    response = client.patch(f"/api/v1/tasks/{world.task.pk}/", {"description": "x" * 5001}, format="json")
    assert response.status_code == 400 and "description" in response.json()
    assert len(Task.objects.get(pk=world.task.pk).description) < 5001


def test_a_check_in_cannot_be_dated_after_today(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = {"task": world.task.pk, "percent_complete": 10, "date": "9999-12-31"}
    client = token_client(world.users["owner"])
    assert list(client.post("/api/v1/check-ins/", body).json()) == ["date"]
    assert client.post("/api/v1/check-ins/", {**body, "date": tomorrow.isoformat()}).status_code == 400
    assert not CheckIn.objects.filter(date__gt=timezone.localdate()).exists()


def test_a_check_in_cannot_be_dated_before_its_task_existed(world):
    created = timezone.localdate(world.task.created_at)
    body = {"task": world.task.pk, "percent_complete": 10, "date": (created - dt.timedelta(days=1)).isoformat()}
    response = token_client(world.users["owner"]).post("/api/v1/check-ins/", body)
    assert response.status_code == 400
    assert response.json() == {"date": [f"A check-in cannot be dated before its task was created ({created})."]}


@pytest.mark.parametrize("due", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_the_timeline_and_pages_render_a_task_due_at_the_ends_of_the_calendar(world, due):
    factories.TaskFactory(
        initiative=world.initiative, department=world.department, due_date=due, allow_outside_initiative_dates=True
    )
    client = Client()
    client.force_login(world.users["executive"])
    for url in [
        reverse("admin:review_timeline", args=[world.initiative.pk]),
        reverse("admin:review_roadmap"),
        reverse("admin:review_department", args=[world.department.slug]),
        reverse("admin:review_tasks_export", args=["csv"]),
        reverse("admin:review_tasks_export", args=["xlsx"]),
        "/admin/roadmap/task/",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", ["budget/", "budget/duplicates/", "owners/{owner}/report/"])
@pytest.mark.parametrize("value", [*BAD_PERIODS, "2026-Q9", "soon"])
def test_the_period_reads_answer_a_bad_period_like_the_filters(world, path, value):
    url = f"/api/v1/{path.format(owner=world.users['owner'].pk)}"
    response = token_client(world.users["cco"]).get(url, {"period": value})
    assert response.status_code == 400
    assert response.json() == {
        "period": ["Write a period as 2026-Q3 for a quarter or 2026-07 for a month, in the years 1900 to 2200."]
    }
