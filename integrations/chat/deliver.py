"""Delivering a batch of chat posts with the same exactly-once claims as email (docs/chat.md).

A post is sent only by the worker whose conditional UPDATE moved its row from `pending` (or
from `sending` with a lapsed lease: its worker died) to `sending` under its own claim token;
the claim commits before anything is sent. A post the service accepts has its row set to
`sent` at once, in its own short UPDATE fenced by the token (the row is the sent journal).
The only way to post twice is a worker dying between the service's answer and that UPDATE.
A refused post goes back to `pending` and is retried with backoff; after CHAT_MAX_ATTEMPTS it
is `failed`. Each post is its own outcome: one channel that fails holds up no other.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from accountability.reminders.delivery import BatchOutcome
from accountability.reminders.render import message_render
from integrations.chat.send import ChatSendError, chat_post
from integrations.models import ChatDelivery

logger = logging.getLogger(__name__)

Status = ChatDelivery.Status
IN_DOUBT = "In doubt: the worker posting it stopped before recording the service's answer; posted again."
CHANNEL_OFF = "Not posted: the chat channel was switched off."
GAVE_UP = "Failed after {attempts} attempts: {error}"
OUT_OF_TIME = "Not posted: the batch reached its time limit before this post; its retry sends it."
INTERRUPTED = "Not posted: the batch stopped before this post ({error}); it will be posted later."


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


def backoff_seconds(attempts: int) -> float:
    base = settings.CHAT_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.CHAT_RETRY_BACKOFF_MAX_SECONDS)


def chat_deliveries_claim(*, ids: list[int], now: dt.datetime, token: uuid.UUID) -> int:
    """Move the claimable rows to `sending` under `token` in one UPDATE (lapsed leases marked in doubt)."""
    claimable = Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=now - _lease())
    return ChatDelivery.objects.filter(claimable, pk__in=ids).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        claim_token=token,
        last_error=Case(
            When(status=Status.SENDING, then=Value(IN_DOUBT)), default=F("last_error"), output_field=models.TextField()
        ),
    )


def _write(pk: int, token: uuid.UUID, **fields) -> None:
    """One outcome, only if this batch still holds the row."""
    ChatDelivery.objects.filter(pk=pk, status=Status.SENDING, claim_token=token).update(**fields)


def _claimed(ids: list[int], token: uuid.UUID, now: dt.datetime, outcome: BatchOutcome) -> list[ChatDelivery]:
    rows = list(
        ChatDelivery.objects.filter(pk__in=ids, status=Status.SENDING)
        .select_related(
            "channel",
            "message__recipient",
            "message__task__department",
            "message__task__initiative",
            "message__task__owner",
            "message__department",
        )
        .order_by("pk")
    )
    for row in rows:
        if row.claim_token != token:  # another live worker holds it: look again when its lease ends
            outcome.retry(row.pk, (row.claimed_at + _lease() - now).total_seconds() + 1)
    return [row for row in rows if row.claim_token == token]


def _post_one(row: ChatDelivery, token: uuid.UUID, outcome: BatchOutcome, shared: dict) -> None:
    if not row.channel.active:
        _write(row.pk, token, status=Status.FAILED, last_error=CHANNEL_OFF)
        return
    try:
        title, text, _html = message_render(message=row.message, shared=shared)
        chat_post(url=row.channel.url, title=title, body=text)
    except SoftTimeLimitExceeded:
        raise  # the batch stops: chat_deliver frees the rest
    except Exception as exc:  # not swallowed: recorded, retried until CHAT_MAX_ATTEMPTS, then failed
        error = (str(exc) if isinstance(exc, ChatSendError) else f"{type(exc).__name__}: {exc}")[:2000]
        if row.attempts >= settings.CHAT_MAX_ATTEMPTS:
            _write(row.pk, token, status=Status.FAILED, last_error=GAVE_UP.format(attempts=row.attempts, error=error))
            return
        logger.warning("Chat delivery %s not posted (attempt %s): %s", row.pk, row.attempts, error)
        _write(row.pk, token, status=Status.PENDING, last_error=error)
        outcome.retry(row.pk, backoff_seconds(row.attempts))
        return
    _write(row.pk, token, status=Status.SENT, sent_at=timezone.now(), last_error="")
    outcome.sent += 1


def chat_deliver(*, ids: list[int], stop_at: float | None = None) -> BatchOutcome:
    """Post a batch; returns what to try again later (refused posts, rows held by another worker).

    At `stop_at` (time.monotonic()) the batch posts no more: the rest goes back to pending.
    """
    outcome, now, token, shared = BatchOutcome(), timezone.now(), uuid.uuid4(), {}
    chat_deliveries_claim(ids=ids, now=now, token=token)
    mine = _claimed(ids, token, now, outcome)
    done: set[int] = set()
    try:
        for row in mine:
            if stop_at is not None and time.monotonic() >= stop_at:
                _write(row.pk, token, status=Status.PENDING, last_error=OUT_OF_TIME)
                outcome.retry(row.pk, 0)
            else:
                _post_one(row, token, outcome, shared)
            done.add(row.pk)
    except BaseException as exc:  # a time limit or a shutdown: free what was not posted
        for row in mine:
            if row.pk not in done:
                _write(row.pk, token, status=Status.PENDING, last_error=INTERRUPTED.format(error=repr(exc)))
        raise
    return outcome
