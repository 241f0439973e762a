"""The chat sweep: record one chat delivery per recent message and channel, then enqueue batches.

Which channels get a message: the recipient's own target, and the channel of the department
the message is about (the message's department, or its task's). The unique constraint on
(channel, kind, subject, date) is the claim: a second sweep, or a message addressed to two
heads, records nothing new for a department's channel. Chat rows are separate from the email
rows, and their batches are separate tasks: a chat service that is down never holds up email.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import Message
from core.queue import publish
from integrations.models import ChatChannel, ChatDelivery

DELIVER_TASK = "integrations.chat_deliver_batch"


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


def _wanted(now: dt.datetime) -> list[ChatDelivery]:
    """The chat deliveries the recent messages call for (existing ones included)."""
    channels = dict(ChatChannel.objects.filter(active=True).values_list("id", "department_id"))
    if not channels:
        return []
    by_department = {dept: pk for pk, dept in channels.items() if dept is not None}
    by_person = dict(ChatChannel.objects.filter(active=True, person__isnull=False).values_list("person_id", "id"))
    since = now - dt.timedelta(hours=settings.CHAT_LOOKBACK_HOURS)
    rows = Message.objects.filter(created_at__gte=since).values_list(
        "id", "kind", "subject_key", "for_date", "recipient_id", "department_id", "task__department_id"
    )
    wanted = []
    for pk, kind, subject, for_date, recipient, department, task_department in rows:
        targets = {by_person.get(recipient), by_department.get(department or task_department)} - {None}
        wanted += [
            ChatDelivery(channel_id=c, message_id=pk, kind=kind, subject_key=subject, for_date=for_date)
            for c in sorted(targets)
        ]
    return wanted


def chat_deliveries_record(*, now: dt.datetime) -> int:
    """Insert the chat deliveries that do not exist yet; returns how many were new."""
    wanted = _wanted(now)
    if not wanted:
        return 0
    existing = set(
        ChatDelivery.objects.filter(for_date__in={w.for_date for w in wanted}).values_list(
            "channel_id", "kind", "subject_key", "for_date"
        )
    )
    seen, new = set(existing), []
    for delivery in wanted:
        key = (delivery.channel_id, delivery.kind, delivery.subject_key, delivery.for_date)
        if key not in seen:
            seen.add(key)
            new.append(delivery)
    ChatDelivery.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def _to_enqueue(now: dt.datetime) -> Q:
    cut = now - _lease()
    waiting = Q(status=ChatDelivery.Status.PENDING) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cut))
    abandoned = Q(status=ChatDelivery.Status.SENDING, claimed_at__lt=cut, enqueued_at__lt=cut)
    return waiting | abandoned


def chat_deliveries_enqueue(*, now: dt.datetime) -> list[list[int]]:
    """Mark what is to send as enqueued and publish it in batches once the transaction commits."""
    ids = list(ChatDelivery.objects.filter(_to_enqueue(now)).order_by("id").values_list("id", flat=True))
    if ids:
        ChatDelivery.objects.filter(_to_enqueue(now), id__lte=ids[-1]).update(enqueued_at=now)
    size = settings.CHAT_BATCH_SIZE
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    transaction.on_commit(lambda: [publish(DELIVER_TASK, delivery_ids=batch) for batch in batches])
    return batches


@transaction.atomic
def chat_fan_out(*, now: dt.datetime | None = None) -> int:
    """The sweep: record what the recent messages call for, enqueue what waits; returns how many were new."""
    now = now or timezone.now()
    created = chat_deliveries_record(now=now)
    chat_deliveries_enqueue(now=now)
    return created
