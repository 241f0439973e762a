"""Pledges and task-force meetings through the API and the admin: who may pledge whom, bad input refused."""

import datetime as dt

import pytest
import time_machine

from roadmap.models import Meeting, Pledge
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def _pledge(world, **change):
    return (
        {"initiative": world.initiative.pk, "department": world.department.pk, "person": world.user.pk}
        | {"hours_per_month": "8"}
        | change
    )


def test_a_head_pledges_a_person_of_their_department(world):
    response = token_client(world.users["head"]).post("/api/v1/pledges/", _pledge(world), format="json")
    assert response.status_code == 201, response.json()
    pledge = Pledge.objects.get(pk=response.json()["id"])
    assert (pledge.person, pledge.hours_per_month) == (world.user, 8)


@pytest.mark.parametrize(
    ("who", "change", "field"),
    [
        ("cco", {"hours_per_month": "-1"}, "hours_per_month"),
        ("cco", {"person": "outsider"}, "person"),  # someone outside the department
        ("head", {"department": "other"}, "department"),  # not a department they head
        ("cco", {"person": "twice"}, "person"),
    ],
)
def test_a_bad_pledge_is_refused_naming_the_field_and_nothing_is_saved(world, who, change, field):
    if change.get("person") == "outsider":
        change = {"person": world.task_e.owner.pk}
    if change.get("person") == "twice":
        factories.PledgeFactory(initiative=world.initiative, department=world.department, person=world.user)
        change = {}
    if change.get("department") == "other":
        change = {"department": world.other_department.pk}
    before = Pledge.objects.count()
    response = token_client(world.users[who]).post("/api/v1/pledges/", _pledge(world, **change), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Pledge.objects.count() == before


def test_cco_staff_record_a_meeting_with_its_attendees(world):
    body = {"initiative": world.initiative.pk, "date": "2026-05-19", "attendees": [world.user.pk, world.colleague.pk]}
    response = token_client(world.cco_staff).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert set(meeting.attendees.all()) == {world.user, world.colleague}


def test_attendance_for_a_meeting_in_the_future_is_refused(world):
    body = {"initiative": world.initiative.pk, "date": "2026-05-21", "attendees": [world.user.pk]}
    response = token_client(world.cco_staff).post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    assert "is after today" in response.json()["date"][0]
    assert list(Meeting.objects.all()) == [world.meeting]


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_only_cco_staff_record_meetings(world, role):
    body = {"initiative": world.initiative.pk, "date": "2026-05-19"}
    assert token_client(world.users[role]).post("/api/v1/meetings/", body, format="json").status_code == 403


def test_the_admin_refuses_a_pledge_for_someone_outside_the_department(client, world):
    client.force_login(world.cco_staff)
    data = _pledge(world, person=world.task_e.owner.pk)
    response = client.post("/admin/roadmap/pledge/add/", data)
    assert response.status_code == 200
    assert "is not a member or the head of Service" in str(response.context["adminform"].form.errors["person"])
    assert list(Pledge.objects.all()) == [world.pledge]


def test_the_admin_refuses_a_meeting_in_the_future(client, world):
    client.force_login(world.cco_staff)
    data = {"initiative": world.initiative.pk, "date": "2026-06-01", "title": "Kick-off"}
    response = client.post("/admin/roadmap/meeting/add/", data)
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert list(Meeting.objects.all()) == [world.meeting]
