"""Delivering a batch of messages: claim each in the database, render, send, record the outcome.

Exactly once: a message is sent only by the worker whose conditional UPDATE moved it from
`pending` to `sending` (or re-claimed a `sending` message whose lease ran out: its worker
died). The claim commits before the send and `sent` is written right after it, so the only
way to send twice is a crash in the milliseconds between the SMTP server accepting the
message and that UPDATE committing; the message then goes out again after the lease.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.render import message_render

logger = logging.getLogger(__name__)

NO_EMAIL = "Skipped: the recipient has no email address."
INACTIVE = "Skipped: the recipient's account is inactive."
PERMANENT = "Failed: the mail server refused permanently: {error}"
GAVE_UP = "Failed after {attempts} attempts: {error}"

Status = Message.Status


class TransientMailError(Exception):
    """The mail server may accept later (4xx, disconnected, refused connection)."""


class PermanentMailError(Exception):
    """The mail server will never accept this message (5xx)."""


@dataclass
class BatchOutcome:
    sent: int = 0
    retry_ids: list[int] = field(default_factory=list)
    retry_in: float = 0


def classify(exc: Exception) -> Exception:
    """Map an SMTP or socket error to transient or permanent; anything unknown is transient (attempts cap it)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()] or [550]
        return PermanentMailError(str(exc)) if min(codes) >= 500 else TransientMailError(str(exc))
    if isinstance(exc, smtplib.SMTPResponseException):
        return PermanentMailError(str(exc)) if exc.smtp_code >= 500 else TransientMailError(str(exc))
    return TransientMailError(f"{type(exc).__name__}: {exc}")


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REMINDERS_LEASE_SECONDS)


def message_claim(*, message_id: int, now: dt.datetime) -> bool:
    """Move a message to `sending` (attempts + 1) if it is pending, or sending with an expired lease."""
    claimable = Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=now - _lease())
    return bool(
        Message.objects.filter(claimable, pk=message_id).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    )


def _finish(message: Message, claimed_at: dt.datetime, **fields) -> bool:
    """Write the outcome only if our claim still stands (fenced by claimed_at)."""
    done = Message.objects.filter(pk=message.pk, status=Status.SENDING, claimed_at=claimed_at).update(**fields)
    if not done:
        logger.warning("Message %s was re-claimed while this worker held it (lease too short?)", message.pk)
    return bool(done)


def backoff_seconds(attempts: int) -> float:
    base = settings.REMINDERS_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS)


def _send(message: Message, connection) -> None:
    try:
        subject, text, html = message_render(message=message)
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            to=[message.recipient.email],
            connection=connection,
            headers={"X-CCO-Message-Id": str(message.pk)},
        )
        email.attach_alternative(html, "text/html")
        email.send()
    except Exception as exc:
        # Not swallowed: classified, recorded on the message, retried until REMINDERS_MAX_ATTEMPTS.
        logger.warning("Message %s not sent: %r", message.pk, exc)
        connection.close()  # the next send opens a fresh connection
        raise classify(exc) from exc


def _deliver_one(message: Message, connection, outcome: BatchOutcome) -> None:
    now = timezone.now()
    if not message_claim(message_id=message.pk, now=now):
        if message.status == Status.SENDING:  # another worker holds the lease: look again when it ends
            left = (message.claimed_at + _lease() - now).total_seconds()
            outcome.retry_ids.append(message.pk)
            outcome.retry_in = max(outcome.retry_in, left + 1)
        return
    attempts = message.attempts + 1
    recipient = message.recipient
    if not recipient.is_active or not recipient.email:
        _finish(message, now, status=Status.SKIPPED, last_error=INACTIVE if not recipient.is_active else NO_EMAIL)
        return
    try:
        _send(message, connection)
    except PermanentMailError as exc:
        _finish(message, now, status=Status.FAILED, last_error=PERMANENT.format(error=exc))
    except TransientMailError as exc:
        if attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            _finish(message, now, status=Status.FAILED, last_error=GAVE_UP.format(attempts=attempts, error=exc))
        elif _finish(message, now, status=Status.PENDING, last_error=str(exc)[:2000]):
            outcome.retry_ids.append(message.pk)
            outcome.retry_in = max(outcome.retry_in, backoff_seconds(attempts))
    else:
        if _finish(message, now, status=Status.SENT, sent_at=timezone.now(), last_error=""):
            outcome.sent += 1


def messages_deliver(*, message_ids: list[int]) -> BatchOutcome:
    """Deliver a batch; returns the ids to try again later (transient errors, leases held elsewhere)."""
    outcome = BatchOutcome()
    messages = (
        Message.objects.filter(pk__in=message_ids)
        .exclude(status__in=[Status.SENT, Status.FAILED, Status.SKIPPED])
        .select_related("recipient", "task__department", "task__initiative", "task__owner", "department")
        .order_by("pk")
    )
    connection = get_connection()
    try:
        for message in messages:
            _deliver_one(message, connection, outcome)
    finally:
        connection.close()
    return outcome
