"""The webhooks sweep: record overdue tasks' events, and wake each subscription with deliveries due.

A lost broker message or a dead worker only delays a delivery: every sweep sends a task for
each subscription whose oldest pending delivery is due and which no live worker holds.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import publish
from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from integrations.webhooks.record import DELIVER_TASK, events_record
from roadmap.models import Task

OVERDUE = "task.overdue"


def overdue_events_record(*, today: dt.date) -> int:
    """One `task.overdue` event per open task and due date, the day after it is due."""
    if not any(
        OVERDUE in (e or []) for e in WebhookSubscription.objects.filter(active=True).values_list("events", flat=True)
    ):
        return 0
    tasks = list(Task.objects.filter(due_date__lt=today).exclude(status__in=[Task.Status.DONE, Task.Status.CANCELLED]))
    keys = {f"{OVERDUE}:{t.pk}:{t.due_date.isoformat()}": t for t in tasks}
    known = set(WebhookEvent.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    new = {k: t for k, t in keys.items() if k not in known}
    if new:
        events_record(event=OVERDUE, instances=list(new.values()), keys=list(new))
    return len(new)


def subscriptions_due(*, now: dt.datetime) -> list[int]:
    lease = dt.timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)
    free = Q(subscription__claim_token__isnull=True) | Q(subscription__claimed_at__lt=now - lease)
    rows = WebhookDelivery.objects.filter(
        free, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, subscription__active=True
    )
    return sorted(set(rows.values_list("subscription_id", flat=True)))


@transaction.atomic
def webhooks_sweep(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    created = overdue_events_record(today=timezone.localdate(now))
    due = subscriptions_due(now=now)
    transaction.on_commit(lambda: [publish(DELIVER_TASK, subscription_id=s) for s in due])
    return created
