"""Slips through the API: read as tasks are read; only the head of the task's department decides."""

import datetime as dt

import pytest

from roadmap.models import Slip
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def slip(department, owner):
    task = factories.TaskFactory(
        department=department, owner=owner, status="in_progress", due_date=dt.date(2026, 6, 30)
    )
    return factories.SlipFactory(task=task, moved_by=owner, reason="Vendor late.")


def test_the_head_approves_through_the_api_and_the_date_moves(head, slip):
    response = token_client(head).post(f"/api/v1/slips/{slip.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    slip.task.refresh_from_db()
    assert (slip.task.due_date, slip.task.slip_count) == (dt.date(2026, 7, 30), 1)


def test_deciding_twice_is_400_and_changes_nothing(head, slip):
    token_client(head).post(f"/api/v1/slips/{slip.pk}/refuse/")
    again = token_client(head).post(f"/api/v1/slips/{slip.pk}/approve/")
    assert again.status_code == 400 and "already refused" in again.json()["status"][0]
    slip.task.refresh_from_db()
    assert slip.task.due_date == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("who", "status", "says"),
    [
        # Roles without the permission to change slips are stopped before the slip is read.
        ("owner", 403, "Your role does not allow this (roadmap.change_slip)."),
        ("executive", 403, "Your role does not allow this (roadmap.change_slip)."),
        ("cco_staff", 403, "Only the head of"),
        ("other_head", 404, None),
    ],
)
def test_anyone_but_the_head_is_refused(request, slip, who, status, says):
    response = token_client(request.getfixturevalue(who)).post(f"/api/v1/slips/{slip.pk}/approve/")
    assert response.status_code == status
    if says:
        assert says in response.json()["detail"]
    slip.refresh_from_db()
    assert slip.status == Slip.Status.PENDING


def test_the_list_shows_the_slips_of_visible_tasks(owner, other_department, slip):
    factories.SlipFactory(task=factories.TaskFactory(department=other_department, status="in_progress"))
    listed = token_client(owner).get("/api/v1/slips/").json()
    assert [row["id"] for row in listed["results"]] == [slip.pk]
    assert listed["results"][0]["reason"] == "Vendor late."
