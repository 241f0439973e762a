"""Every list endpoint runs as many queries for a page of 10 as for a page of 100 (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.api.conftest import token_client

N = 105


def _quarter(i: int) -> dt.date:
    return dt.date(1900 + i // 4, 1 + 3 * (i % 4), 1)


POPULATE = {
    "departments": lambda w: [factories.DepartmentFactory().members.add(w.user) for _ in range(N)],
    "users": lambda w: [w.department.members.add(factories.TaskOwnerFactory()) for _ in range(N)],
    "roadmaps": lambda w: factories.RoadmapFactory.create_batch(N),
    "initiatives": lambda w: [
        factories.InitiativeDepartmentFactory(
            initiative=factories.InitiativeFactory(roadmap=w.roadmap, owner=w.cco_staff), department=w.department
        ).initiative.metrics.add(w.metric)
        for _ in range(N)
    ],
    "budget-lines": lambda w: [
        factories.InitiativeDepartmentFactory(
            initiative=factories.InitiativeFactory(roadmap=w.roadmap),
            department=w.department,
            metrics=[w.metric],
            loss_reasons=[w.reason],
            segments=[w.segment],
        )
        for _ in range(N)
    ],
    "pledges": lambda w: [
        factories.PledgeFactory(initiative=factories.InitiativeFactory(roadmap=w.roadmap), department=w.department)
        for _ in range(N)
    ],
    "meetings": lambda w: factories.MeetingFactory.create_batch(N, initiative=w.initiative, attendees=[w.user]),
    "pay-plans": lambda w: [factories.PayPlanFactory(weights=[(w.metric, 1), (w.company_metric, 2)]) for _ in range(N)],
    "metric-conflicts": lambda w: factories.MetricConflictFactory.create_batch(N),
    "tasks": lambda w: [
        factories.TaskFactory(initiative=w.initiative, department=w.department, owner=w.user).depends_on.add(w.task)
        for _ in range(N)
    ],
    "check-ins": lambda w: factories.CheckInFactory.create_batch(N, task=w.task),
    "metrics": lambda w: factories.MetricFactory.create_batch(N),
    "targets": lambda w: [factories.TargetFactory(department=w.department) for _ in range(N)],
    "readings": lambda w: factories.ReadingFactory.create_batch(N, metric=w.metric, department=w.department),
    "segments": lambda w: factories.CustomerSegmentFactory.create_batch(N),
    "movements": lambda w: factories.CustomerMovementFactory.create_batch(
        N, segment=w.segment, department=w.department
    ),
    "loss-reasons": lambda w: factories.LossReasonFactory.create_batch(N),
    "recognitions": lambda w: factories.RecognitionFactory.create_batch(N, task=w.task, recipient=w.recipient),
    "reminders": lambda w: [
        factories.MessageFactory(task=factories.TaskFactory(department=w.department), recipient=w.user)
        for _ in range(N)
    ],
    "scorecards": lambda w: [
        factories.ScorecardLineFactory.create_batch(
            2, scorecard=factories.ScorecardFactory(department=w.department, period_start=_quarter(i))
        )
        for i in range(N)
    ],
}


@pytest.mark.parametrize("role", ["cco", "owner"])
@pytest.mark.parametrize("endpoint", POPULATE)
def test_list_queries_do_not_grow_with_the_page(endpoint, role, world, clients, django_assert_num_queries):
    POPULATE[endpoint](world)
    client = clients[role]
    client.get(f"/api/v1/{endpoint}/?page_size=1")  # warm caches that live for the process (content types)
    with CaptureQueriesContext(connection) as small:
        response = client.get(f"/api/v1/{endpoint}/?page_size=10")
    assert len(response.json()["results"]) == 10
    with django_assert_num_queries(len(small)):
        response = client.get(f"/api/v1/{endpoint}/?page_size=100")
    assert len(response.json()["results"]) == 100


def test_a_huge_page_size_is_capped(world, cco_staff):
    factories.RoadmapFactory.create_batch(3)
    response = token_client(cco_staff).get("/api/v1/roadmaps/?page_size=10000000000000000000000")
    assert response.status_code == 200 and response.json()["count"] == 4


def test_the_fast_task_output_equals_drfs_generic_output(world):
    from rest_framework import serializers

    from roadmap.api.serializers import TaskSerializer

    other = factories.TaskFactory(initiative=world.initiative, department=world.department, status="done")
    world.task.depends_on.add(other)
    for task in (world.task, other):
        fast = TaskSerializer(task).data
        generic = serializers.ModelSerializer.to_representation(TaskSerializer(), task)
        assert fast == generic and fast["completed_at"] == generic["completed_at"]


def test_the_task_list_shows_each_task_as_reading_it_alone_shows_it(world):
    other = factories.TaskFactory(initiative=world.initiative, department=world.department, status="done")
    world.task.depends_on.add(other)
    client = token_client(world.users["cco"])
    listed = client.get("/api/v1/tasks/?page_size=100").json()["results"]
    assert len(listed) >= 4 and any(row["depends_on"] == [other.pk] for row in listed)
    for row in listed:
        assert client.get(f"/api/v1/tasks/{row['id']}/").json() == row
