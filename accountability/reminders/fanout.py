"""The sweeps: record every message that is due (the unique constraint is the claim), then enqueue batches.

A second sweep, or two beat processes firing at once, inserts nothing new: rows that exist
are skipped before the insert, and `ignore_conflicts` absorbs the race between two sweeps.
Enqueueing marks `enqueued_at`; a message still pending (or stuck in `sending`) a lease
later is enqueued again, so a lost broker message or a dead worker only delays delivery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import Message
from accountability.reminders import rules
from accountability.reminders.decisions import proposal_decisions_recent, proposal_messages_due
from accountability.reminders.loss_alerts import loss_reason_alerts_due
from accountability.reminders.rules import Due
from accountability.reminders.zones import Zones
from core.queue import publish

DELIVER_TASK = "accountability.reminders_deliver_batch"
# The floor above posts the same messages to chat (integrations/chat): asked by name, never imported.
CHAT_SWEEP_TASK = "integrations.chat_fanout"


@dataclass(frozen=True)
class FanOutResult:
    due: int
    created: int
    batches: list[list[int]]


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


def messages_record(*, due: set[Due]) -> int:
    """Insert the messages that do not exist yet; returns how many rows were new."""
    if not due:
        return 0
    dates = {d.for_date for d in due}
    existing = set(
        Message.objects.filter(for_date__in=dates, kind__in={d.kind for d in due}).values_list(
            "kind", "subject_key", "recipient_id", "for_date"
        )
    )
    new = [
        Message(
            kind=d.kind,
            task_id=d.task_id,
            department_id=d.department_id,
            subject_key=d.subject_key,
            recipient_id=d.recipient_id,
            for_date=d.for_date,
        )
        for d in sorted(due, key=lambda d: (d.for_date, d.kind, d.subject_key, d.recipient_id))
        if (d.kind, d.subject_key, d.recipient_id, d.for_date) not in existing
    ]
    Message.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def _to_enqueue(*, now: dt.datetime) -> Q:
    """Pending messages not enqueued within a lease, and `sending` ones whose lease ran out (dead worker)."""
    cut = now - _lease()
    waiting = Q(status=Message.Status.PENDING) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cut))
    abandoned = Q(status=Message.Status.SENDING, claimed_at__lt=cut) & Q(enqueued_at__lt=cut)
    return waiting | abandoned


def messages_enqueue(*, now: dt.datetime, batch_size: int) -> list[list[int]]:
    """Mark the messages to send as enqueued and publish them in batches once the transaction commits."""
    ids = list(Message.objects.filter(_to_enqueue(now=now)).order_by("id").values_list("id", flat=True))
    if ids:
        Message.objects.filter(_to_enqueue(now=now), id__lte=ids[-1]).update(enqueued_at=now)
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    transaction.on_commit(lambda: messages_publish(batches))
    return batches


def messages_publish(batches: list[list[int]]) -> None:
    """Send one delivery task per batch of message ids (by name: the task module imports this one)."""
    deliver = current_app.signature(DELIVER_TASK)
    for batch in batches:
        deliver.delay(batch)
    if batches:
        publish(CHAT_SWEEP_TASK)


@transaction.atomic
def _fan_out(*, now: dt.datetime | None, digests: bool) -> FanOutResult:
    now = now or timezone.now()
    zones = Zones.load(now=now)
    settings_row = rules.reminder_settings_get()
    find = rules.digest_messages_due if digests else rules.task_messages_due
    due = find(zones=zones, rules=settings_row)
    if not digests:
        # Approvals and sendings back whose own task never ran (a broker down) go out with this sweep.
        decisions = proposal_decisions_recent(now=now)
        due |= proposal_messages_due(zones=zones, decisions=decisions)
        due |= loss_reason_alerts_due(today=now.astimezone(zones.org).date())
    created = messages_record(due=due)
    batches = messages_enqueue(now=now, batch_size=settings_row.batch_size)
    return FanOutResult(due=len(due), created=created, batches=batches)


def reminders_fan_out(*, now: dt.datetime | None = None) -> FanOutResult:
    """The reminders and escalations sweep: record what is due on each recipient's date, enqueue batches."""
    return _fan_out(now=now, digests=False)


def digests_fan_out(*, now: dt.datetime | None = None) -> FanOutResult:
    """The weekly digests sweep (each recipient's weekday and hour), then enqueue batches."""
    return _fan_out(now=now, digests=True)
