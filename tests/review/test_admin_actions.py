"""The Task admin actions: mark done, send a reminder now, recompute the department's scorecard."""

import pytest
from django.test import RequestFactory

from roadmap import admin_actions
from roadmap.models import Task
from tests import factories

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands in for the ModelAdmin: the actions only call `message_user` on it."""

    def __init__(self):
        self.messages = []

    def message_user(self, request, message, level):
        self.messages.append(message)


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_mark_done_completes_the_tasks_the_user_may_change_and_skips_others(head, department, other_department):
    mine = factories.TaskFactory(department=department)
    theirs = factories.TaskFactory(department=other_department)
    recorder = Recorder()
    admin_actions.mark_done(recorder, _request(head), Task.objects.all())
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "done" and mine.completed_at is not None and theirs.status == "not_started"
    assert recorder.messages == [admin_actions.MARKED_DONE.format(count=1), admin_actions.SKIPPED.format(count=1)]


def test_send_reminder_now_uses_the_reminders_service_when_installed(cco_staff, department, monkeypatch):
    task = factories.TaskFactory(department=department)
    sent = []
    monkeypatch.setattr(admin_actions, "_reminder_service", lambda: lambda *, task, sender: sent.append((task, sender)))
    recorder = Recorder()
    admin_actions.send_reminder_now(recorder, _request(cco_staff), Task.objects.all())
    assert sent == [(task, cco_staff)] and recorder.messages == [admin_actions.REMINDERS_SENT.format(count=1)]


def test_send_reminder_now_says_so_when_reminders_are_missing(cco_staff, department, monkeypatch):
    factories.TaskFactory(department=department)
    monkeypatch.setattr(admin_actions, "REMINDER_SERVICE", ("no_such_module_here", "send"))
    recorder = Recorder()
    admin_actions.send_reminder_now(recorder, _request(cco_staff), Task.objects.all())
    assert recorder.messages == [admin_actions.REMINDERS_UNAVAILABLE]


def test_recompute_asks_for_each_selected_department_once(cco_staff, head, department, other_department, monkeypatch):
    factories.TaskFactory.create_batch(2, department=department)
    factories.TaskFactory(department=other_department)
    calls = []
    monkeypatch.setattr(admin_actions, "scorecard_request_recompute", lambda **kw: calls.append(kw["department_ids"]))
    admin_actions.recompute_department_scorecard(Recorder(), _request(head), Task.objects.all())
    assert calls == []  # heads may not
    recorder = Recorder()
    admin_actions.recompute_department_scorecard(recorder, _request(cco_staff), Task.objects.all())
    assert calls == [sorted([department.pk, other_department.pk])]
    assert recorder.messages == [admin_actions.RECOMPUTE_REQUESTED.format(count=2)]
