"""The Task admin's "Send a reminder now": one message per task, recipient and day, through delivery."""

import pytest
from django.urls import reverse

from accountability.models import Message
from roadmap.models import Task
from tests import factories

pytestmark = pytest.mark.django_db


def _send_now(client, user, tasks):
    client.force_login(user)
    return client.post(
        reverse("admin:roadmap_task_changelist"),
        {"action": "send_reminder_now", "_selected_action": [t.pk for t in tasks]},
        follow=True,
    )


def test_sending_a_reminder_now_records_one_message_for_the_owner_even_when_clicked_twice(
    client, cco_staff, department, owner, django_capture_on_commit_callbacks
):
    task = factories.TaskFactory(department=department, owner=owner)
    with django_capture_on_commit_callbacks() as published:
        response = _send_now(client, cco_staff, [task])
    assert response.status_code == 200
    _send_now(client, cco_staff, [task])
    message = Message.objects.get()
    assert (message.kind, message.recipient, message.task) == ("nudge", owner, task)
    assert len(published) == 1  # the second click found the message already enqueued


def test_a_reminder_for_an_ownerless_task_goes_to_the_department_head(client, cco_staff, department):
    task = factories.TaskFactory(department=department, owner=None)
    _send_now(client, cco_staff, [task])
    assert Message.objects.get().recipient == department.head


def test_an_executive_cannot_send_reminders(client, executive, department, owner):
    task = factories.TaskFactory(department=department, owner=owner)
    response = _send_now(client, executive, [task])
    assert response.status_code in (200, 403)
    assert not Message.objects.exists()


def test_a_head_reminds_only_for_the_tasks_they_may_change(client, head, department, other_department):
    mine = factories.TaskFactory(department=department)
    factories.TaskFactory(department=other_department)
    client.force_login(head)
    response = client.post(
        reverse("admin:roadmap_task_changelist"),
        {"action": "send_reminder_now", "_selected_action": list(Task.objects.values_list("pk", flat=True))},
        follow=True,
    )
    assert response.status_code == 200
    assert list(Message.objects.values_list("task", flat=True)) == [mine.pk]
