"""Recording domain events as webhook deliveries, in the transaction of the change that caused them.

Connected to `core.events.domain_event` by the app's `ready()`. An event nobody subscribes to
records nothing. An event is unique on its key (a task's overdue event once per due date);
its deliveries are unique per subscription; both are inserted with `ignore_conflicts`, so
recording twice records once. Sending starts when the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.queue import publish
from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from integrations.webhooks.payloads import event_data

DELIVER_TASK = "integrations.webhooks_deliver"


def events_record(*, event: str, instances: list[Any], keys: list[str] | None = None, **_: Any) -> int:
    """Record `event` for each instance and one delivery per subscriber; returns how many events it names."""
    subscribers = [
        pk
        for pk, events in WebhookSubscription.objects.filter(active=True).values_list("id", "events")
        if event in (events or [])
    ]
    if not subscribers:
        return 0
    now = timezone.now()
    give_up = now + dt.timedelta(seconds=settings.WEBHOOKS_RETRY_FOR_SECONDS)
    keys = keys or [f"{event}:{getattr(i, 'pk', '')}:{uuid.uuid4().hex}" for i in instances]
    WebhookEvent.objects.bulk_create(
        [
            WebhookEvent(key=key, name=event, payload=event_data(event, instance), occurred_at=now)
            for key, instance in zip(keys, instances, strict=True)
        ],
        ignore_conflicts=True,
    )
    event_ids = list(WebhookEvent.objects.filter(key__in=keys).order_by("id").values_list("id", flat=True))
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription_id=s, event_id=e, next_attempt_at=now, give_up_at=give_up)
            for e in event_ids
            for s in subscribers
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(lambda: [publish(DELIVER_TASK, subscription_id=s) for s in subscribers])
    return len(event_ids)
