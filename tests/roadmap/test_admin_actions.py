"""Task admin actions: mark done and recompute scorecards, only on tasks the user may change."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from roadmap.admin.tasks import TASKS_NOT_YOURS
from roadmap.models import Task
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:roadmap_task_changelist")


def run_action(client, action, tasks):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(t.pk) for t in tasks], "index": "0"}
    return client.post(CHANGELIST, data)


def test_a_head_marks_their_departments_tasks_done(client, head, department):
    tasks = factories.TaskFactory.create_batch(2, department=department)
    client.force_login(head)
    assert run_action(client, "mark_done", tasks).status_code == 302
    assert set(Task.objects.values_list("status", flat=True)) == {"done"}
    assert all(task.completed_at for task in Task.objects.all())


def test_an_owner_selecting_a_colleagues_task_marks_nothing_done(client, owner, department):
    mine = factories.TaskFactory(department=department, owner=owner)
    colleagues = factories.TaskFactory(department=department)
    client.force_login(owner)
    response = run_action(client, "mark_done", [mine, colleagues])
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [TASKS_NOT_YOURS.format(count=1)]
    assert set(Task.objects.values_list("status", flat=True)) == {"not_started"}


def test_recompute_asks_for_the_scorecards_of_the_selected_tasks_departments(
    client, cco_staff, department, other_department, monkeypatch
):
    requested = []
    monkeypatch.setattr(
        "roadmap.admin.tasks.scorecard_request_recompute", lambda *, department_ids: requested.append(department_ids)
    )
    tasks = [factories.TaskFactory(department=d) for d in (department, other_department, department)]
    client.force_login(cco_staff)
    assert run_action(client, "recompute_scorecards", tasks).status_code == 302
    assert requested == [sorted([department.pk, other_department.pk])]


def test_an_executive_posting_an_action_is_refused(client, executive, department):
    task = factories.TaskFactory(department=department)
    client.force_login(executive)
    assert run_action(client, "mark_done", [task]).status_code == 403
    task.refresh_from_db()
    assert task.status == "not_started"


def test_an_executive_sees_no_actions_and_no_add_button(client, executive, department):
    factories.TaskFactory(department=department)
    client.force_login(executive)
    response = client.get(CHANGELIST)
    assert response.context["action_form"] is None
    assert reverse("admin:roadmap_task_add") not in response.content.decode()


def test_a_head_cannot_delete_tasks_of_a_department_they_only_belong_to(client, head, department, other_department):
    other_department.members.add(head)
    task = factories.TaskFactory(department=other_department)
    client.force_login(head)
    response = client.post(CHANGELIST, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [task.pk], "post": "yes"})
    assert response.status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()
