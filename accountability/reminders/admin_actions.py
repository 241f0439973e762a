"""The Task admin's "Send a reminder now" (the other task actions are methods of TaskAdmin), and
the Message admin's "Resend" of failed messages.

It works only on the selected tasks the user may change and calls the reminders service,
which records one message per task, recipient and day and delivers it like the sweeps do.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accountability.models import Message
from accountability.reminders.now import reminder_send_now
from accountability.reminders.resend import messages_resend
from roadmap.models import Task
from roadmap.selectors import task_list_changeable

REMINDERS_SENT = "Reminder sent for {count} task(s)."
SKIPPED = "{count} selected task(s) skipped: you may not change them."
RESENT = "{count} failed message(s) put back to be sent; each goes out once."
NOT_FAILED = "{count} selected message(s) left as they are: only failed messages can be resent."


@admin.action(description="Send a reminder now to the owners of the selected tasks", permissions=["change"])
def send_reminder_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Task]) -> None:
    tasks = list(task_list_changeable(user=request.user).filter(pk__in=queryset.values("pk")))
    for task in tasks:
        reminder_send_now(task=task, sender=request.user)
    modeladmin.message_user(request, REMINDERS_SENT.format(count=len(tasks)), messages.SUCCESS)
    if skipped := queryset.count() - len(tasks):
        modeladmin.message_user(request, SKIPPED.format(count=skipped), messages.WARNING)


@admin.action(description="Resend the selected failed messages", permissions=["resend"])
def resend_failed(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Message]) -> None:
    result = messages_resend(message_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, RESENT.format(count=result.resent), messages.SUCCESS)
    if result.not_failed:
        modeladmin.message_user(request, NOT_FAILED.format(count=result.not_failed), messages.WARNING)
