"""Delivering a batch of messages: claim them in the database, render, send, record the outcomes.

Exactly once: a message is sent only by the worker whose conditional UPDATE moved it from
`pending` to `sending` under its own claim token (or re-claimed a `sending` message whose
lease ran out: its worker died). The claim commits before anything is sent. Each message
the mail server accepts is noted in the sent journal at once, and the outcomes of the whole
batch are written in one UPDATE at its end, fenced by the token; so a batch takes the same
few queries whatever its size. A worker that re-claims messages after a crash records the
ones the journal knows as sent instead of sending them again. The only way to send twice
is a crash in the milliseconds between the SMTP server accepting a message and the journal
noting it; each message keeps one `Message-ID` across its attempts, so a mail system can drop
that copy. A batch stops on its own before its time limit, between two messages, and leaves
the rest for its retry.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import InterfaceError, OperationalError, connection, models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.claimed import Claimed, claimed_read
from accountability.reminders.journal import JournalError, journal
from accountability.reminders.outbox import Outbox
from accountability.reminders.render import message_render
from core.expressions import value_by_pk

logger = logging.getLogger(__name__)

NO_EMAIL = "Skipped: the recipient has no email address."
INACTIVE = "Skipped: the recipient's account is inactive."
PERMANENT = "Failed: the mail server refused permanently: {error}"
GAVE_UP = "Failed after {attempts} attempts: {error}"
INTERRUPTED = "Not sent: the batch stopped before this message ({error}); it will be sent later."
IN_DOUBT = "In doubt: the worker sending it stopped; the sent journal tells whether the mail server accepted it."
JOURNAL_UNREADABLE = "Not sent: the sent journal could not be read ({error}); it will be tried again."
OUT_OF_TIME = "Not sent: the batch reached its time limit before this message; its retry sends it."
# A write the database dropped (a killed backend, a failover) is tried again on a new
# connection: these pauses, about 7 s in all, before the batch gives up.
WRITE_RETRY_PAUSES = (0.2, 0.5, 1, 2, 3)

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

    def retry(self, message_id: int, seconds: float) -> None:
        self.retry_ids.append(message_id)
        self.retry_in = max(self.retry_in, seconds)


@dataclass(frozen=True)
class Result:
    """What happened to one claimed message, written with the rest of its batch."""

    status: str
    error: str = ""
    sent_at: dt.datetime | None = None


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


def messages_claim(*, message_ids: list[int], now: dt.datetime, token: uuid.UUID) -> int:
    """Move the batch's claimable messages to `sending` under `token` (attempts + 1), in one UPDATE.

    Claimable: pending, or sending with an expired lease (the worker that held it died). Those
    are marked in doubt in the same UPDATE (SET reads the row as it was before it).
    """
    claimable = Q(status=Status.PENDING) | Q(status=Status.SENDING, claimed_at__lt=now - _lease())
    return Message.objects.filter(claimable, pk__in=message_ids).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        claim_token=token,
        last_error=Case(
            When(status=Status.SENDING, then=Value(IN_DOUBT)), default=F("last_error"), output_field=models.TextField()
        ),
    )


def results_write(*, token: uuid.UUID, results: dict[int, Result]) -> int:
    """Write every outcome of a batch in one UPDATE, only to the rows this batch still holds.

    The outcomes exist only in this process: a dropped connection is retried on a new one
    rather than lose them (the UPDATE is idempotent: it is fenced by status and token).
    """
    if not results:
        return 0
    for pause in (*WRITE_RETRY_PAUSES, None):
        try:
            return _results_update(token, results)
        except (OperationalError, InterfaceError) as exc:
            if pause is None or connection.in_atomic_block:
                raise
            logger.warning("Writing the outcomes of %s message(s) failed (%s); trying again", len(results), exc)
            connection.close()
            time.sleep(pause)
    raise AssertionError("unreachable")


def sent_write(*, token: uuid.UUID, message_id: int, sent_at: dt.datetime) -> int:
    """The database journal: one accepted message's row set to `sent` at once, fenced by the token.

    The same write as `results_write` for one `sent` outcome (retried the same way), as one
    statement prepared once per process: through the ORM, building the UPDATE cost more than
    running it (about 40 % of a batch's time on SQLite).
    """
    params = [
        Status.SENT.value,
        _field("sent_at").get_db_prep_value(sent_at, connection),
        message_id,
        Status.SENDING.value,
        _field("claim_token").get_db_prep_value(token, connection),
    ]
    for pause in (*WRITE_RETRY_PAUSES, None):
        try:
            with connection.cursor() as cursor:
                cursor.execute(_sent_sql(connection.vendor), params)
                return cursor.rowcount
        except (OperationalError, InterfaceError) as exc:
            if pause is None or connection.in_atomic_block:
                raise
            logger.warning("Writing message %s as sent failed (%s); trying again", message_id, exc)
            connection.close()
            time.sleep(pause)
    raise AssertionError("unreachable")


def _field(name: str) -> models.Field:
    return Message._meta.get_field(name)


@cache
def _sent_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, column = quote(Message._meta.db_table), lambda name: quote(_field(name).column)
    # Only the model's own table and column names go into the text; every value is a parameter.
    sets = f"{column('status')} = %s, {column('last_error')} = '', {column('sent_at')} = %s"
    return (
        f"UPDATE {table} SET {sets} "  # noqa: S608
        f"WHERE {column('id')} = %s AND {column('status')} = %s AND {column('claim_token')} = %s"
    )


def _results_update(token: uuid.UUID, results: dict[int, Result]) -> int:
    return Message.objects.filter(pk__in=list(results), status=Status.SENDING, claim_token=token).update(
        status=value_by_pk({pk: r.status for pk, r in results.items()}, models.CharField()),
        last_error=value_by_pk({pk: r.error[:2000] for pk, r in results.items()}, models.TextField()),
        sent_at=value_by_pk({pk: r.sent_at for pk, r in results.items()}, models.DateTimeField()),
    )


def backoff_seconds(attempts: int) -> float:
    base = settings.REMINDERS_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.REMINDERS_RETRY_BACKOFF_MAX_SECONDS)


def message_id_header(message_id: int) -> str:
    """One `Message-ID` per message, the same on every attempt, on the product's own domain."""
    domain = urlsplit(settings.SITE_URL).hostname or str(DNS_NAME)
    return f"<cco-message-{message_id}@{domain}>"


def _send(message: Claimed, outbox: Outbox, shared: dict) -> None:
    try:
        subject, text, html = message_render(message=message.content, shared=shared)
        outbox.send(
            subject=subject,
            text=text,
            html=html,
            to=message.email,
            headers={"X-CCO-Message-Id": str(message.pk), "Message-ID": message_id_header(message.pk)},
        )
    except SoftTimeLimitExceeded:
        raise  # the batch stops: messages_deliver keeps what was sent and frees the rest
    except Exception as exc:
        # Not swallowed: classified, recorded on the message, retried until REMINDERS_MAX_ATTEMPTS.
        logger.warning("Message %s not sent: %r", message.pk, exc)
        raise classify(exc) from exc


def _note_sent(message: Claimed, token: uuid.UUID, sent_at: dt.datetime) -> bool:
    """Note an accepted message in the journal; True when its row was written now instead.

    The database journal (the default) is the row itself; another journal that is down falls
    back to the row too.
    """
    if getattr(journal(), "writes_rows", False):
        sent_write(token=token, message_id=message.pk, sent_at=sent_at)
        return True
    try:
        journal().record(message.pk, sent_at)
        return False
    except JournalError as exc:
        logger.warning("Sent journal unavailable (%s); recording message %s in the database now", exc, message.pk)
        results_write(token=token, results={message.pk: Result(Status.SENT, sent_at=sent_at)})
        return True


def _deliver_one(
    message: Claimed, outbox: Outbox, token: uuid.UUID, outcome: BatchOutcome, shared: dict
) -> Result | None:
    """Send one claimed message; returns its outcome, or None when its row was already written."""
    if not message.is_active:
        return Result(Status.SKIPPED, INACTIVE)
    if not message.email:
        return Result(Status.SKIPPED, NO_EMAIL)
    try:
        _send(message, outbox, shared)
    except PermanentMailError as exc:
        return Result(Status.FAILED, PERMANENT.format(error=exc))
    except TransientMailError as exc:
        if message.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            return Result(Status.FAILED, GAVE_UP.format(attempts=message.attempts, error=exc))
        outcome.retry(message.pk, backoff_seconds(message.attempts))
        return Result(Status.PENDING, str(exc))
    outcome.sent += 1
    sent_at = timezone.now()
    return None if _note_sent(message, token, sent_at) else Result(Status.SENT, sent_at=sent_at)


def _held_elsewhere(messages: list[Claimed], now: dt.datetime, outcome: BatchOutcome) -> None:
    """Messages another live worker holds: look at them again when its lease ends."""
    for message in messages:
        outcome.retry(message.pk, (message.claimed_at + _lease() - now).total_seconds() + 1)


def _claimed(message_ids: list[int], token: uuid.UUID, now: dt.datetime, outcome: BatchOutcome) -> list[Claimed]:
    """This batch's claimed messages, with what rendering needs; notes the ones held elsewhere."""
    messages = claimed_read(message_ids=message_ids)
    _held_elsewhere([m for m in messages if m.claim_token != token], now, outcome)
    return [m for m in messages if m.claim_token == token]


def _in_doubt_settled(messages: list[Claimed], outcome: BatchOutcome) -> dict[int, Result]:
    """Messages whose previous worker died: sent if the journal says so; waiting if it cannot be read."""
    in_doubt = [m.pk for m in messages if m.last_error == IN_DOUBT]
    try:
        accepted = journal().sent(in_doubt)
    except JournalError as exc:
        for pk in in_doubt:
            outcome.retry(pk, backoff_seconds(1))
        return {pk: Result(Status.PENDING, JOURNAL_UNREADABLE.format(error=exc)) for pk in in_doubt}
    outcome.sent += len(accepted)
    return {pk: Result(Status.SENT, sent_at=sent_at) for pk, sent_at in accepted.items()}


def batch_stop_at(started: float) -> float:
    """When a batch stops sending (time.monotonic()): before the soft time limit by room for one more send."""
    limit = settings.REMINDERS_BATCH_SOFT_TIME_LIMIT
    return started + limit - min(limit / 2, 2 * settings.EMAIL_TIMEOUT)


def messages_deliver(*, message_ids: list[int], stop_at: float | None = None) -> BatchOutcome:
    """Deliver a batch; returns the ids to try again later (transient errors, leases held elsewhere).

    At `stop_at` (time.monotonic()) the batch sends no more: the messages left go back to
    pending, to be retried at once.

    Queries: the claim, one read of the claimed messages with their recipients and tasks, and
    one write of all outcomes, whatever the batch size. Digests add the reads of their content:
    a fixed number per department head's digest, and once per date for all CCO digests.
    """
    outcome = BatchOutcome()
    now, token = timezone.now(), uuid.uuid4()
    messages_claim(message_ids=message_ids, now=now, token=token)
    mine = _claimed(message_ids, token, now, outcome)
    results = _in_doubt_settled(mine, outcome)
    to_send = [m for m in mine if m.pk not in results]
    written: set[int] = set()  # rows already written one by one (the journal was down)
    outbox, shared = Outbox(), {}  # one mail connection and one set of compiled templates per batch
    try:
        for message in to_send:
            if stop_at is not None and time.monotonic() >= stop_at:
                results[message.pk] = Result(Status.PENDING, OUT_OF_TIME)
                outcome.retry(message.pk, 0)
                continue
            result = _deliver_one(message, outbox, token, outcome, shared)
            if result is None:
                written.add(message.pk)
            else:
                results[message.pk] = result
    except BaseException as exc:  # a time limit or shutdown mid-batch: keep what was done, free the rest
        unsent = {m.pk for m in to_send} - results.keys() - written
        results.update({pk: Result(Status.PENDING, INTERRUPTED.format(error=repr(exc))) for pk in unsent})
        raise
    finally:
        outbox.close()
        _finish(token, results)
    return outcome


def _finish(token: uuid.UUID, results: dict[int, Result]) -> None:
    done = results_write(token=token, results=results)
    if done != len(results):
        # Another worker re-claimed some of these (the lease ran out mid-batch): it needs their
        # journal entries to know which were sent, so they stay until they expire.
        logger.warning(
            "%s of %s messages were re-claimed while this batch held them", len(results) - done, len(results)
        )
        return
    try:
        journal().forget(pk for pk, result in results.items() if result.status == Status.SENT)
    except JournalError as exc:  # harmless: the rows say sent, and the entries expire
        logger.warning("Could not clear the sent journal: %s", exc)
