"""The task list's fast paths (one-query pages, ids filtered without django-filter's form, rows
as the driver returns them) answer exactly as the general paths do, errors included."""

import pytest

from core.api import CountedPageNumberPagination, PageNumberPagination
from core.api_filters import FilterBackend
from tests import factories
from tests.api.conftest import token_client

QUERIES = [
    "",
    "?page_size=2",
    "?page_size=2&page=2",
    "?page_size=2&page=3",
    "?page_size=2&page=4",
    "?page_size=2&page=last",
    "?page=0",
    "?page=01&page_size=3",
    "?page=%C2%B2",
    "?page=99999999999999999999999",
    "?page=1.0",
    "?department={d}",
    "?department={d}&page_size=1&page=2",
    "?department=+{d}",
    "?department={d}.0",
    "?department=0",
    "?department=99999999999999999999",
    "?department=",
    "?department={d}&department={e}",
    "?department={d}&owner={o}",
    "?department={d}&status=todo",
    "?department=x",
    "?initiative={i}&ordering=-due_date",
    "?department={d}&search=Task",
]


def _answers(client, world) -> list:
    ids = {"d": world.department.pk, "e": world.other_department.pk, "o": world.users["owner"].pk}
    ids["i"] = world.initiative.pk
    answers = []
    for query in QUERIES:
        response = client.get("/api/v1/tasks/" + query.format(**ids))
        answers.append((query, response.status_code, response.content))
    return answers


@pytest.mark.parametrize("role", ["cco", "head", "owner"])
def test_the_fast_paths_answer_as_the_general_ones(world, role, monkeypatch):
    for _ in range(3):
        factories.TaskFactory(initiative=world.initiative, department=world.department, owner=world.users["owner"])
    client = token_client(world.users[role])
    fast = _answers(client, world)
    monkeypatch.setattr(FilterBackend, "_by_plain_ids", lambda *args: None)
    monkeypatch.setattr(CountedPageNumberPagination, "paginate_queryset", PageNumberPagination.paginate_queryset)
    general = _answers(client, world)
    assert fast == general
    assert {status for _query, status, _body in fast} >= {200, 400, 404}


@pytest.mark.parametrize("role", ["cco", "head", "owner"])
def test_a_list_request_builds_the_visibility_filter_once(world, role, monkeypatch):
    """The permission check asks the view for its queryset (for its model) before the list does."""
    from roadmap import selectors

    calls = []
    task_list = selectors.task_list
    monkeypatch.setattr(selectors, "task_list", lambda **kwargs: calls.append(1) or task_list(**kwargs))
    response = token_client(world.users[role]).get(f"/api/v1/tasks/?department={world.department.pk}")
    assert response.status_code == 200
    assert len(calls) == 1
