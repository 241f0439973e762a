"""The initiative's change page runs the same queries with 2 tasks as with 20 (no N+1 in the task inline).

Before, each task row of the inline ran its own department and owner queries: 84 queries with
20 tasks, 49 with 2 (tests/roadmap/test_admin_queries_initiative_page.py, as CCO staff).
"""

import difflib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _count(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("role", ["cco_staff", "head", "executive"])
def test_the_initiative_page_runs_as_many_queries_for_20_tasks_as_for_2(
    client, request, department, other_department, owner, role
):
    client.force_login(request.getfixturevalue(role))
    initiative = factories.InitiativeFactory()
    factories.InitiativeDepartmentFactory(initiative=initiative, department=department)
    factories.InitiativeExpectationFactory(initiative=initiative)

    def grow(n):
        for i in range(n):
            dep = department if i % 2 else other_department
            task = factories.TaskFactory(
                initiative=initiative, department=dep, owner=owner if dep == department else None
            )
            factories.CheckInFactory(task=task)

    url = reverse("admin:roadmap_initiative_change", args=[initiative.pk])
    grow(2)
    client.get(url)  # caches filled (content types), as on any page after the first
    small, few = _count(client, url)
    grow(18)
    large, sql = _count(client, url)
    assert small == large, "\n".join(difflib.unified_diff(few, sql, lineterm=""))
