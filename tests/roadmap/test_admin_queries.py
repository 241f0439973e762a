"""Roadmap changelists run the same number of queries for 10 rows as for 100 (no N+1)."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from roadmap.models import Health
from tests import factories
from tests.admin_world import changelist_query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(request, cco_staff, head):
    return {"cco": cco_staff, "head": head}[request.param]


@pytest.fixture
def spread(department, owner):
    """Cycle rows over several owners, initiatives and dates, so every row has its own related objects."""
    owners = [owner, *(factories.TaskOwnerFactory() for _ in range(2))]
    department.members.add(*owners)
    initiatives = [factories.InitiativeFactory() for _ in range(3)]
    dates = [dt.date(2026, 1, 5) + dt.timedelta(days=17 * i) for i in range(20)]
    return itertools.cycle(owners), itertools.cycle(initiatives), itertools.cycle(dates)


def add_tasks(department, spread, *, check_ins=False):
    owners, initiatives, dates = spread
    confidences = itertools.cycle(Health.values)

    def add(n):
        for _ in range(n):
            task = factories.TaskFactory(
                department=department, owner=next(owners), initiative=next(initiatives), due_date=next(dates)
            )
            if check_ins:
                factories.CheckInFactory(task=task, confidence=next(confidences), date=next(dates))

    return add


@pytest.mark.parametrize("viewer", ["cco", "head"], indirect=True)
def test_the_task_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, viewer, department, spread):
    client.force_login(viewer)
    url = reverse("admin:roadmap_task_changelist")
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(
        client, url, add_rows=add_tasks(department, spread, check_ins=True)
    )
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10


@pytest.mark.parametrize("viewer", ["cco", "head"], indirect=True)
def test_the_check_in_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, viewer, department, spread):
    client.force_login(viewer)
    url = reverse("admin:roadmap_checkin_changelist")
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(
        client, url, add_rows=add_tasks(department, spread, check_ins=True)
    )
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10


@pytest.mark.parametrize("viewer", ["cco", "head"], indirect=True)
def test_the_initiative_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, viewer, department):
    client.force_login(viewer)
    roadmaps = itertools.cycle([factories.RoadmapFactory() for _ in range(2)])
    departments = [department, *(factories.DepartmentFactory() for _ in range(2))]

    def add(n):
        for _ in range(n):
            initiative = factories.InitiativeFactory(roadmap=next(roadmaps))
            for linked in departments:
                factories.InitiativeDepartmentFactory(initiative=initiative, department=linked)

    url = reverse("admin:roadmap_initiative_changelist")
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(client, url, add_rows=add)
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10
