"""The task force's participation in the API: month by month, for every role, in a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def _force(department, n=40, came_back=6):
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 12, 31))
    people = [factories.TaskOwnerFactory() for _ in range(n)]
    department.members.add(*people)
    for person in people:
        factories.PledgeFactory(initiative=initiative, department=department, person=person)
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 1, 12), attendees=people)
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 2, 12), attendees=people[:came_back])
    return initiative


def test_a_task_force_going_from_40_to_6_reads_as_faded(department, executive):
    initiative = _force(department)
    response = token_client(executive).get(f"/api/v1/initiatives/{initiative.pk}/participation/")
    assert response.status_code == 200
    assert response.json() == {
        "initiative": initiative.pk,
        "pledged": 40,
        "months": [
            {"month": "2026-01", "pledged": 40, "took_part": 40, "rate": "1.0000", "faded": False},
            {"month": "2026-02", "pledged": 40, "took_part": 6, "rate": "0.1500", "faded": True},
            {"month": "2026-03", "pledged": 40, "took_part": 0, "rate": "0.0000", "faded": True},
        ],
    }


@pytest.mark.parametrize("role", ["cco_staff", "executive", "head", "owner"])
def test_every_role_reads_participation(request, department, role):
    initiative = _force(department, n=2, came_back=1)
    assert (
        token_client(request.getfixturevalue(role))
        .get(f"/api/v1/initiatives/{initiative.pk}/participation/")
        .status_code
        == 200
    )


def test_no_one_else_reads_it(department):
    initiative = _force(department, n=2, came_back=1)
    assert APIClient().get(f"/api/v1/initiatives/{initiative.pk}/participation/").status_code in (401, 403)
    nobody = factories.UserFactory(username="nobody")
    assert token_client(nobody).get(f"/api/v1/initiatives/{initiative.pk}/participation/").status_code == 403


def test_participation_takes_the_same_queries_for_a_small_and_a_large_task_force(
    department, executive, django_assert_num_queries
):
    client = token_client(executive)
    small, large = _force(department, n=3, came_back=1), _force(department, n=30, came_back=10)
    client.get(f"/api/v1/initiatives/{small.pk}/participation/")  # warm the user's caches alike
    with CaptureQueriesContext(connection) as first:
        client.get(f"/api/v1/initiatives/{small.pk}/participation/")
    with django_assert_num_queries(len(first)):
        assert len(client.get(f"/api/v1/initiatives/{large.pk}/participation/").json()["months"]) == 3
