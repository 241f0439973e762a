"""Promises and slips through the API and the admin, by role: the promise, the slip record, the approval rule."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from roadmap.models import Slip, SlipSettings, Task
from tests import factories
from tests.api.conftest import token_client

JUNE_1 = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
DUE = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def june():
    with time_machine.travel(JUNE_1, tick=False):
        yield


@pytest.fixture
def started(department, owner):
    """An owner's task in progress: its promise is its due date."""
    task = factories.TaskFactory(department=department, owner=owner, due_date=DUE, status="in_progress")
    assert task.promised_date == DUE
    return task


def patch(user, task, **data):
    return token_client(user).patch(f"/api/v1/tasks/{task.pk}/", data, format="json")


def test_a_task_created_not_started_has_no_promise_until_it_starts(cco_staff, department, owner):
    initiative = factories.InitiativeFactory()
    payload = {"initiative": initiative.pk, "department": department.pk, "title": "Fix the invoice layout"}
    created = token_client(cco_staff).post("/api/v1/tasks/", {**payload, "due_date": "2026-06-20"}, format="json")
    task = Task.objects.get(pk=created.json()["id"])
    assert created.json()["promised_date"] is None

    # Still planning: the date moves freely, no reason, no slip.
    assert patch(cco_staff, task, due_date="2026-06-25").status_code == 200
    response = patch(cco_staff, task, status="in_progress")

    assert response.json()["promised_date"] == "2026-06-25"
    assert response.json()["slip_count"] == 0
    assert not Slip.objects.exists()


def test_a_task_created_already_started_promises_its_due_date_at_once(cco_staff, department):
    initiative = factories.InitiativeFactory()
    payload = {"initiative": initiative.pk, "department": department.pk, "title": "Call back", "status": "in_progress"}
    response = token_client(cco_staff).post("/api/v1/tasks/", {**payload, "due_date": "2026-06-20"}, format="json")
    assert response.json()["promised_date"] == "2026-06-20"


def test_an_owner_moves_a_committed_date_with_a_reason_and_the_slip_is_recorded(owner, started):
    response = patch(owner, started, due_date="2026-07-07", slip_reason="Vendor late with the new template.")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["due_date"], body["promised_date"], body["slip_count"]) == ("2026-07-07", "2026-06-30", 1)
    slip = Slip.objects.get()
    assert (slip.moved_by, slip.moved_at, slip.from_date, slip.to_date) == (owner, JUNE_1, DUE, dt.date(2026, 7, 7))
    assert (slip.days, slip.reason, slip.status) == (7, "Vendor late with the new template.", Slip.Status.APPROVED)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_slip_without_a_reason_is_400_naming_the_field_and_changes_nothing(owner, started, reason):
    data = {"due_date": "2026-07-07"} | ({} if reason is None else {"slip_reason": reason})
    response = patch(owner, started, **data)

    assert response.status_code == 400
    assert "slip_reason" in response.json()
    started.refresh_from_db()
    assert (started.due_date, started.slip_count, started.version) == (DUE, 0, 1)
    assert not Slip.objects.exists()


def test_a_due_date_before_the_task_was_created_is_refused(owner, started):
    response = patch(owner, started, due_date="2026-05-31", slip_reason="Already done really.")

    assert response.status_code == 400
    assert "2026-06-01" in response.json()["due_date"][0]
    started.refresh_from_db()
    assert started.due_date == DUE and not Slip.objects.exists()


def test_a_big_slip_by_an_owner_waits_for_the_head_and_the_task_keeps_its_date(owner, started):
    response = patch(owner, started, due_date="2026-07-20", slip_reason="Blocked by billing.", percent_complete=40)

    assert response.status_code == 200
    assert (response.json()["due_date"], response.json()["percent_complete"]) == ("2026-06-30", 40)
    slip = Slip.objects.get()
    assert (slip.status, slip.days) == (Slip.Status.PENDING, 20)
    # While it waits, the date does not move again.
    again = patch(owner, started, due_date="2026-07-02", slip_reason="Shorter, then?")
    assert again.status_code == 400 and "waiting for the head" in again.json()["due_date"][0]


def test_a_second_slip_by_an_owner_waits_even_when_small(owner, started):
    assert patch(owner, started, due_date="2026-07-03", slip_reason="First.").json()["due_date"] == "2026-07-03"
    response = patch(owner, started, due_date="2026-07-05", slip_reason="Second.")

    assert response.json()["due_date"] == "2026-07-03"
    assert Slip.objects.filter(status=Slip.Status.PENDING).get().days == 2


def test_the_head_moves_the_date_at_once_however_far(head, started):
    response = patch(head, started, due_date="2026-08-30", slip_reason="Replanned with the team.")
    assert response.json()["due_date"] == "2026-08-30"
    assert Slip.objects.get().status == Slip.Status.APPROVED


def test_cco_staff_set_the_days_a_slip_may_move_without_approval(admin_client, owner, started):
    settings_row = SlipSettings.objects.get_or_create(pk=1)[0]  # the migrations create it; a flush may not
    assert settings_row.approval_days == 14
    url = reverse("admin:roadmap_slipsettings_change", args=[settings_row.pk])
    assert admin_client.post(url, {"approval_days": 30}).status_code == 302

    assert patch(owner, started, due_date="2026-07-20", slip_reason="Twenty days.").json()["due_date"] == "2026-07-20"


def test_only_cco_staff_change_the_slip_settings(client, head):
    client.force_login(head)
    settings_row = SlipSettings.objects.get_or_create(pk=1)[0]
    url = reverse("admin:roadmap_slipsettings_change", args=[settings_row.pk])
    assert client.post(url, {"approval_days": 1}).status_code == 403
    assert SlipSettings.objects.get().approval_days == 14


def test_the_slip_settings_page_always_shows_the_rules_in_force(admin_client):
    SlipSettings.objects.all().delete()
    response = admin_client.get(reverse("admin:roadmap_slipsettings_changelist"), follow=True)
    assert response.context["adminform"].form["approval_days"].value() == 14


def test_an_executive_cannot_move_a_due_date(executive, started):
    assert patch(executive, started, due_date="2026-07-02", slip_reason="No.").status_code == 403
    assert not Slip.objects.exists()


def _decide(client, user, slip, action):
    client.force_login(user)
    url = reverse("admin:roadmap_slip_changelist")
    return client.post(url, {"action": action, "_selected_action": [slip.pk]}, follow=True)


def test_the_head_approves_a_waiting_slip_in_the_admin_and_the_date_moves(client, head, owner, started):
    patch(owner, started, due_date="2026-07-20", slip_reason="Blocked by billing.")
    slip = Slip.objects.get()

    response = _decide(client, head, slip, "approve")

    assert "1 slip(s) approved." in response.content.decode()
    started.refresh_from_db()
    slip.refresh_from_db()
    assert (started.due_date, started.promised_date, started.slip_count) == (dt.date(2026, 7, 20), DUE, 1)
    assert (slip.status, slip.decided_by, slip.decided_at) == (Slip.Status.APPROVED, head, JUNE_1)


def test_the_head_refuses_a_waiting_slip_and_the_date_stays(client, head, owner, started):
    patch(owner, started, due_date="2026-07-20", slip_reason="Blocked by billing.")
    _decide(client, head, Slip.objects.get(), "reject")
    started.refresh_from_db()
    assert (started.due_date, started.slip_count) == (DUE, 0)
    assert Slip.objects.get().status == Slip.Status.REJECTED


@pytest.mark.parametrize("who", ["other_head", "owner", "cco_staff"])
def test_someone_who_does_not_head_the_department_cannot_decide_a_slip(client, request, owner, started, who):
    patch(owner, started, due_date="2026-07-20", slip_reason="Blocked by billing.")
    slip = Slip.objects.get()

    response = _decide(client, request.getfixturevalue(who), slip, "approve")

    assert response.status_code in (200, 403)
    assert "slip(s) approved" not in response.content.decode()
    slip.refresh_from_db()
    started.refresh_from_db()
    assert slip.status == Slip.Status.PENDING and started.due_date == DUE


def test_the_admin_form_asks_for_a_reason_and_says_when_the_slip_waits(client, owner, started):
    client.force_login(owner)
    url = reverse("admin:roadmap_task_change", args=[started.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {"due_date": "2026-07-30", "check_ins-TOTAL_FORMS": 0, "check_ins-INITIAL_FORMS": 0}
        | {"slips-TOTAL_FORMS": 0, "slips-INITIAL_FORMS": 0}
    )

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "say why" in refused.context["adminform"].form.errors["slip_reason"][0]

    data["slip_reason"] = "Billing is blocking us."
    saved = client.post(url, data, follow=True)
    assert "waits for the head&#x27;s approval" in saved.content.decode()
    started.refresh_from_db()
    assert started.due_date == DUE and Slip.objects.get().status == Slip.Status.PENDING


def test_the_admin_form_refuses_a_due_date_before_the_task_was_created(client, owner, started):
    client.force_login(owner)
    url = reverse("admin:roadmap_task_change", args=[started.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"due_date": "2026-05-01", "slip_reason": "Backdating.", "check_ins-TOTAL_FORMS": 0})
    data.update({"check_ins-INITIAL_FORMS": 0, "slips-TOTAL_FORMS": 0, "slips-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot be before the task was created (2026-06-01)" in errors["due_date"][0]
    started.refresh_from_db()
    assert started.due_date == DUE and not Slip.objects.exists()


def test_the_task_list_shows_the_promise_and_the_slip_count(client, head, owner, started):
    patch(owner, started, due_date="2026-07-03", slip_reason="First.")
    client.force_login(head)
    page = client.get(reverse("admin:roadmap_task_changelist")).content.decode()
    assert "column-promise" in page and "column-slips" in page
    assert '>2026-06-30</td><td class="field-slips">1</td>' in page
