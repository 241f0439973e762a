"""The Task admin's "Send a reminder now" (the other task actions are methods of TaskAdmin).

It works only on the selected tasks the user may change and calls the reminders service,
which records one message per task, recipient and day and delivers it like the sweeps do.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accountability.reminders.now import reminder_send_now
from roadmap.models import Task
from roadmap.selectors import task_list_changeable

REMINDERS_SENT = "Reminder sent for {count} task(s)."
SKIPPED = "{count} selected task(s) skipped: you may not change them."


@admin.action(description="Send a reminder now to the owners of the selected tasks", permissions=["change"])
def send_reminder_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Task]) -> None:
    tasks = list(task_list_changeable(user=request.user).filter(pk__in=queryset.values("pk")))
    for task in tasks:
        reminder_send_now(task=task, sender=request.user)
    modeladmin.message_user(request, REMINDERS_SENT.format(count=len(tasks)), messages.SUCCESS)
    if skipped := queryset.count() - len(tasks):
        modeladmin.message_user(request, SKIPPED.format(count=skipped), messages.WARNING)
