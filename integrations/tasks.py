"""Celery tasks of the integrations floor: ids in, one service call (docs/chat.md, docs/webhooks.md)."""

from __future__ import annotations

import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from integrations.chat.deliver import chat_deliver
from integrations.chat.record import chat_fan_out
from integrations.webhooks.deliver import webhooks_deliver
from integrations.webhooks.sweep import webhooks_sweep

_COMMON = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
DATABASE_DOWN = (OperationalError, InterfaceError)
_SWEEP = {
    **_COMMON,
    "autoretry_for": DATABASE_DOWN,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="integrations.chat_fanout", soft_time_limit=120, time_limit=150, **_SWEEP)
def chat_fanout() -> int:
    """Beat, and after every reminders sweep: record the chat posts recent messages call for; enqueue batches."""
    return chat_fan_out()


@shared_task(
    bind=True,
    name="integrations.chat_deliver_batch",
    soft_time_limit=settings.CHAT_BATCH_SOFT_TIME_LIMIT,
    time_limit=settings.CHAT_BATCH_SOFT_TIME_LIMIT + 30,
    max_retries=None,  # bounded by CHAT_MAX_ATTEMPTS on each row, which the service enforces
    **_COMMON,
)
def chat_deliver_batch(self, delivery_ids: list[int]) -> int:
    """Post a batch of chat deliveries; refused ones (or held by another worker) are retried later."""
    stop_at = time.monotonic() + settings.CHAT_BATCH_SOFT_TIME_LIMIT / 2
    try:
        outcome = chat_deliver(ids=delivery_ids, stop_at=stop_at)
    except SoftTimeLimitExceeded as exc:
        raise self.retry(exc=exc, countdown=1) from exc
    except DATABASE_DOWN as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60), max_retries=5) from exc
    if outcome.retry_ids:
        raise self.retry(kwargs={"delivery_ids": outcome.retry_ids}, countdown=outcome.retry_in)
    return outcome.sent


@shared_task(name="integrations.webhooks_sweep", soft_time_limit=120, time_limit=150, **_SWEEP)
def webhooks_sweep_task() -> int:
    """Beat: record task.overdue events, and send each subscription that has deliveries due."""
    return webhooks_sweep()


@shared_task(
    bind=True,
    name="integrations.webhooks_deliver",
    soft_time_limit=settings.WEBHOOKS_BATCH_SOFT_TIME_LIMIT,
    time_limit=settings.WEBHOOKS_BATCH_SOFT_TIME_LIMIT + 30,
    max_retries=None,  # bounded by WEBHOOKS_RETRY_FOR_SECONDS on each delivery, which the service enforces
    **_COMMON,
)
def webhooks_deliver_task(self, subscription_id: int) -> int:
    """Send one subscription's due deliveries in order; when one is refused, try again after its backoff."""
    try:
        outcome = webhooks_deliver(subscription_id=subscription_id)
    except DATABASE_DOWN as exc:
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60), max_retries=5) from exc
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.delivered
