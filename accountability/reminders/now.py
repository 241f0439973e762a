"""A reminder sent by hand from the admin, through the same exactly-once delivery as the sweeps."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.fanout import messages_publish, messages_record
from accountability.reminders.rules import Due
from accountability.reminders.zones import Zones
from roadmap.models import Task


@transaction.atomic
def reminder_send_now(*, task: Task, sender: AbstractBaseUser | None = None) -> Message | None:
    """Remind the task's owner (the head when it has none) today; a second call the same day sends nothing more.

    Returns the message, or None when there is nobody to remind.
    """
    recipient_id = task.owner_id or task.department.head_id
    if recipient_id is None:
        return None
    now = timezone.now()
    due = Due(
        kind=Message.Kind.NUDGE,
        recipient_id=recipient_id,
        for_date=Zones.load(now=now).today(recipient_id),
        task_id=task.pk,
    )
    messages_record(due={due})
    message = Message.objects.get(
        kind=due.kind, subject_key=due.subject_key, recipient_id=recipient_id, for_date=due.for_date
    )
    if message.status == Message.Status.PENDING and message.enqueued_at is None:
        Message.objects.filter(pk=message.pk).update(enqueued_at=now)
        transaction.on_commit(lambda: messages_publish([[message.pk]]))
    return message
