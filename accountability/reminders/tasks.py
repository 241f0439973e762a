"""Celery tasks for reminders, escalations and digests: ids in, one service call.

Every task is safe to run twice (the database claims the work), so they are acked late
and rejected back to the queue when their worker dies.
"""

from __future__ import annotations

import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from accountability.reminders.delivery import batch_stop_at, messages_deliver
from accountability.reminders.fading import fade_alerts_fan_out
from accountability.reminders.fanout import digests_fan_out, reminders_fan_out
from accountability.reminders.proposals import proposal_decision_tell

__all__ = [
    "digests_fanout",
    "fade_alerts_fanout",
    "proposal_decision_tell_task",
    "reminders_deliver_batch",
    "reminders_fanout",
]

_COMMON = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}
# A dropped connection or a lock timeout: try again soon rather than wait for the next sweep.
DATABASE_DOWN = (OperationalError, InterfaceError)
DATABASE_RETRIES = 5
_SWEEP = {
    **_COMMON,
    "autoretry_for": DATABASE_DOWN,
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": DATABASE_RETRIES,
}


@shared_task(name="accountability.reminders_fanout", soft_time_limit=240, time_limit=300, **_SWEEP)
def reminders_fanout() -> int:
    """Beat: record due-soon, overdue, stale and escalation messages on each recipient's date; enqueue batches."""
    return reminders_fan_out().created


@shared_task(name="accountability.digests_fanout", soft_time_limit=240, time_limit=300, **_SWEEP)
def digests_fanout() -> int:
    """Beat: record the weekly head and CCO digests due on each recipient's weekday and hour; enqueue batches."""
    return digests_fan_out().created


@shared_task(name="accountability.proposal_decision_tell", soft_time_limit=60, time_limit=90, **_SWEEP)
def proposal_decision_tell_task(decision_id: int) -> int:
    """On a proposal's approval or sending back: record and enqueue the email to its proposer (once)."""
    return proposal_decision_tell(decision_id=decision_id)


@shared_task(name="accountability.fade_alerts_fanout", soft_time_limit=240, time_limit=300, **_SWEEP)
def fade_alerts_fanout() -> int:
    """Beat: record the alerts of task forces that faded last month (once per month and recipient); enqueue."""
    return fade_alerts_fan_out().created


@shared_task(
    bind=True,
    name="accountability.reminders_deliver_batch",
    soft_time_limit=settings.REMINDERS_BATCH_SOFT_TIME_LIMIT,
    time_limit=settings.REMINDERS_BATCH_SOFT_TIME_LIMIT + 30,
    max_retries=None,  # bounded by REMINDERS_MAX_ATTEMPTS on each message, which the service enforces
    **_COMMON,
)
def reminders_deliver_batch(self, message_ids: list[int]) -> int:
    """Deliver a batch; messages that failed transiently (or are held by another worker) are retried later."""
    try:
        outcome = messages_deliver(message_ids=message_ids, stop_at=batch_stop_at(time.monotonic()))
    except SoftTimeLimitExceeded as exc:
        # A single send outlasted the room left before the limit: what was sent is written, the
        # rest is pending again and goes out with the retry.
        raise self.retry(exc=exc, countdown=1) from exc
    except DATABASE_DOWN as exc:
        # Claims are in the database, so a retry sends nothing twice. Celery counts this batch's
        # earlier mail retries too; past the bound, the next sweep re-enqueues it after the lease.
        raise self.retry(exc=exc, countdown=min(2**self.request.retries, 60), max_retries=DATABASE_RETRIES) from exc
    if outcome.retry_ids:
        raise self.retry(args=[outcome.retry_ids], countdown=outcome.retry_in)
    return outcome.sent
