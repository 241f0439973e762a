"""Actions for the Task admin (registered by whoever owns `roadmap/admin.py`):

    from roadmap.admin_actions import TASK_ACTIONS
    class TaskAdmin(...):
        actions = [*TASK_ACTIONS]

Each action works only on the selected tasks the user may change and calls one service.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accountability.recompute import scorecard_request_recompute
from roadmap.models import Task
from roadmap.selectors import task_list_changeable, user_is_cco_staff
from roadmap.services import task_complete

MARKED_DONE = "{count} task(s) marked done."
SKIPPED = "{count} selected task(s) skipped: you may not change them."
REMINDERS_SENT = "Reminder sent for {count} task(s)."
REMINDERS_UNAVAILABLE = "Reminders are not installed yet; nothing was sent."
RECOMPUTE_REQUESTED = "Recompute requested for {count} department(s)."
RECOMPUTE_STAFF_ONLY = "Only CCO staff can recompute scorecards."
# The reminders service (another branch): a function taking `task` and `sender` that sends now.
REMINDER_SERVICE = ("accountability.reminders", "reminder_send_now")


def _changeable(request: HttpRequest, queryset: QuerySet[Task]) -> tuple[list[Task], int]:
    allowed = list(task_list_changeable(user=request.user).filter(pk__in=queryset.values("pk")))
    return allowed, queryset.count() - len(allowed)


def _report_skipped(modeladmin: admin.ModelAdmin, request: HttpRequest, skipped: int) -> None:
    if skipped:
        modeladmin.message_user(request, SKIPPED.format(count=skipped), messages.WARNING)


@admin.action(description="Mark done")
def mark_done(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Task]) -> None:
    tasks, skipped = _changeable(request, queryset)
    for task in tasks:
        task_complete(task=task)
    modeladmin.message_user(request, MARKED_DONE.format(count=len(tasks)), messages.SUCCESS)
    _report_skipped(modeladmin, request, skipped)


def _reminder_service() -> Callable[..., object] | None:
    module_name, function = REMINDER_SERVICE
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


@admin.action(description="Send a reminder now")
def send_reminder_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Task]) -> None:
    send = _reminder_service()
    if send is None:
        modeladmin.message_user(request, REMINDERS_UNAVAILABLE, messages.ERROR)
        return
    tasks, skipped = _changeable(request, queryset)
    for task in tasks:
        send(task=task, sender=request.user)
    modeladmin.message_user(request, REMINDERS_SENT.format(count=len(tasks)), messages.SUCCESS)
    _report_skipped(modeladmin, request, skipped)


@admin.action(description="Recompute the department's scorecard")
def recompute_department_scorecard(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Task]
) -> None:
    if not user_is_cco_staff(user=request.user):
        modeladmin.message_user(request, RECOMPUTE_STAFF_ONLY, messages.ERROR)
        return
    department_ids = sorted(set(queryset.values_list("department_id", flat=True)))
    scorecard_request_recompute(department_ids=department_ids)
    modeladmin.message_user(request, RECOMPUTE_REQUESTED.format(count=len(department_ids)), messages.SUCCESS)


TASK_ACTIONS = (mark_done, send_reminder_now, recompute_department_scorecard)
