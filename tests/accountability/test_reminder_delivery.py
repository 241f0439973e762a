"""Delivery without a broker: claims, skips, transient and permanent SMTP errors, rendering, admin."""

import datetime as dt
import smtplib
from itertools import accumulate

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.models.reminders import DAYS_MUST_BE_POSITIVE, DUE_SOON_DAYS_INVALID
from accountability.reminders import delivery
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.journal import journal
from accountability.reminders.tasks import reminders_deliver_batch
from tests import factories
from tests.accountability.reminder_helpers import d, sweep
from tests.mail_backends import RaisingBackend

S = Message.Status
User = get_user_model()
SETTINGS_FORM = {  # the reminder settings form with its defaults filled in
    "due_soon_days": "3,1",
    "overdue_daily_days": 7,
    "overdue_repeat_days": 7,
    "stale_days": 14,
    "escalation_days": 7,
    "digest_weekday": 0,
    "digest_hour": 8,
    "batch_size": 100,
}


@pytest.fixture
def message(department, owner):
    task = factories.TaskFactory(department=department, owner=owner, title="Call the key accounts", due_date=d(6, 4))
    sweep(2026, 6, 1, 12)
    return Message.objects.get(task=task)


@pytest.fixture
def raising(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RaisingBackend"
    RaisingBackend.errors, RaisingBackend.sent = [], []
    return RaisingBackend


def test_a_message_is_sent_once_as_text_and_html_with_a_link_to_the_task(message, settings):
    settings.SITE_URL = "https://cco.example.com"
    assert messages_deliver(message_ids=[message.pk, message.pk]).sent == 1
    messages_deliver(message_ids=[message.pk])
    (email,) = mail.outbox
    link = f"https://cco.example.com/admin/roadmap/task/{message.task_id}/change/"
    assert email.subject == "Due 04 Jun: Call the key accounts"
    assert "due in 3 days" in email.body and link in email.body
    assert link in email.alternatives[0].content
    assert email.extra_headers["X-CCO-Message-Id"] == str(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at is not None) == (S.SENT, 1, True)


def test_a_recipient_without_an_email_address_is_skipped_with_the_reason(message, owner):
    owner.email = ""
    owner.save()
    assert messages_deliver(message_ids=[message.pk]).retry_ids == []
    message.refresh_from_db()
    assert (message.status, message.last_error) == (S.SKIPPED, delivery.NO_EMAIL)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("gone"),
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPResponseException(421, b"Try later"),
        smtplib.SMTPRecipientsRefused({"owner@example.com": (451, b"Greylisted")}),
    ],
)
def test_a_transient_error_puts_the_message_back_for_a_retry_with_the_error(message, raising, error):
    raising.errors = [error]
    outcome = messages_deliver(message_ids=[message.pk])
    assert outcome.retry_ids == [message.pk] and outcome.retry_in > 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.PENDING, 1)
    assert message.last_error
    assert messages_deliver(message_ids=[message.pk]).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(raising.sent)) == (S.SENT, 2, 1)


def test_a_permanent_rejection_fails_the_message_without_a_retry(message, raising):
    raising.errors = [smtplib.SMTPRecipientsRefused({"owner@example.com": (550, b"No such user")})]
    assert messages_deliver(message_ids=[message.pk]).retry_ids == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.FAILED, 1)
    assert "550" in message.last_error


def test_a_message_gives_up_after_the_maximum_attempts(message, raising, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 2
    raising.errors = [smtplib.SMTPServerDisconnected("gone"), smtplib.SMTPServerDisconnected("gone")]
    messages_deliver(message_ids=[message.pk])
    assert messages_deliver(message_ids=[message.pk]).retry_ids == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.FAILED, 2)


def test_a_message_claimed_by_a_live_worker_is_left_alone_and_looked_at_after_its_lease(message, settings):
    settings.REMINDERS_LEASE_SECONDS = 60
    Message.objects.filter(pk=message.pk).update(status=S.SENDING, claimed_at=timezone.now(), attempts=1)
    outcome = messages_deliver(message_ids=[message.pk])
    assert outcome.retry_ids == [message.pk] and 55 < outcome.retry_in <= 61
    assert mail.outbox == []


def test_a_message_whose_worker_died_is_claimed_again_after_the_lease(message, settings):
    settings.REMINDERS_LEASE_SECONDS = 60
    claimed = timezone.now() - dt.timedelta(seconds=61)
    Message.objects.filter(pk=message.pk).update(status=S.SENDING, claimed_at=claimed, attempts=1)
    assert messages_deliver(message_ids=[message.pk]).sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.SENT, 2)


def _batch(department, size: int) -> list[int]:
    """`size` due-soon messages, each to its own owner; o1 has no email, o2 left after the sweep."""
    for i in range(size):
        owner = factories.TaskOwnerFactory(username=f"o{i}", email="" if i == 1 else f"o{i}@example.com")
        factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), title=f"Task {i}")
    sweep(2026, 6, 1, 12)
    User.objects.filter(username="o2").update(is_active=False)
    return list(Message.objects.order_by("id").values_list("id", flat=True))


@pytest.mark.parametrize("size", [5, 50])
def test_with_a_folder_or_redis_journal_a_batch_takes_the_same_three_queries_whatever_its_size(
    department, django_assert_num_queries, size, sent_journal
):
    ids = _batch(department, size)
    # The claim, one read of the claimed messages with recipients and tasks, one write of every outcome.
    with django_assert_num_queries(3):
        outcome = messages_deliver(message_ids=ids)
    _assert_delivered(outcome, size)


@pytest.mark.parametrize("size", [5, 50])
def test_with_the_database_journal_each_sent_message_is_written_at_once(department, django_assert_num_queries, size):
    ids = _batch(department, size)
    # The same three, and one short UPDATE right after each accepted send: it survives a Redis restart.
    with django_assert_num_queries(3 + size - 2):
        outcome = messages_deliver(message_ids=ids)
    _assert_delivered(outcome, size)


def _queries_of_batches(department, sizes: tuple[int, ...]) -> list[tuple[int, int]]:
    """(queries, messages sent) of one delivery batch per size, through the Celery task (run in-process).

    A first batch of one is left out: the first run of a task also inserts its row of job runs.
    """
    sizes = (1, *sizes)
    for i in range(sum(sizes)):
        owner = factories.TaskOwnerFactory(username=f"q{i}", email=f"q{i}@example.com")
        factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), title=f"Task {i}")
    sweep(2026, 6, 1, 12)
    ids = list(Message.objects.order_by("id").values_list("id", flat=True))
    counts = []
    for start, size in zip(accumulate((0, *sizes)), sizes, strict=False):
        with CaptureQueriesContext(connection) as queries:
            sent = reminders_deliver_batch.apply(args=[ids[start : start + size]]).get()
        counts.append((len(queries), sent))
    return counts[1:]


def test_through_the_task_a_batch_of_5_or_50_takes_the_same_queries_with_a_folder_or_redis_journal(
    department, sent_journal
):
    # The claim, the read, the write of every outcome, and the task's own note of a run (core_jobrun).
    assert _queries_of_batches(department, (5, 50)) == [(4, 5), (4, 50)]


def test_through_the_task_with_the_database_journal_a_batch_takes_three_queries_and_one_per_message_sent(department):
    # The claim, the read and the run's note, whatever the size; no final UPDATE is left to make:
    # each message was written as sent right after the server accepted it (the journal).
    assert _queries_of_batches(department, (5, 50)) == [(3 + 5, 5), (3 + 50, 50)]


def _assert_delivered(outcome, size: int) -> None:
    assert outcome.sent == len(mail.outbox) == size - 2
    statuses = dict(Message.objects.values_list("recipient__username", "status"))
    assert (statuses["o0"], statuses["o1"], statuses["o2"], statuses["o3"]) == (S.SENT, S.SKIPPED, S.SKIPPED, S.SENT)
    assert Message.objects.get(recipient__username="o1").last_error == delivery.NO_EMAIL
    assert Message.objects.get(recipient__username="o2").last_error == delivery.INACTIVE
    assert not Message.objects.filter(sent_at__isnull=True, status=S.SENT).exists()


def test_messages_a_dead_worker_sent_are_recorded_as_sent_and_not_sent_again(department, settings, sent_journal):
    ids = _batch(department, 4)
    settings.REMINDERS_LEASE_SECONDS = 60
    claimed = timezone.now() - dt.timedelta(seconds=61)
    Message.objects.filter(pk__in=ids).update(status=S.SENDING, claimed_at=claimed, attempts=1)
    journal().record(ids[0], claimed)  # the dead worker's mail server had accepted this one
    assert messages_deliver(message_ids=ids).sent == 2  # o0 recorded, o3 sent
    assert [email.to for email in mail.outbox] == [["o3@example.com"]]  # o1 has no email, o2 is inactive
    first = Message.objects.get(pk=ids[0])
    assert (first.status, first.sent_at, first.attempts) == (S.SENT, claimed, 2)
    assert journal().sent(ids) == {}  # written to the database, so the journal forgets them
    assert list(sent_journal.iterdir()) == []


def test_a_batch_stopped_half_way_keeps_what_it_sent_and_puts_the_rest_back(department, raising):
    ids = _batch(department, 6)
    raising.errors = [None, None, SystemExit("worker shutting down")]
    with pytest.raises(SystemExit):
        messages_deliver(message_ids=ids)
    statuses = dict(Message.objects.values_list("recipient__username", "status"))
    assert statuses == {"o0": S.SENT, "o1": S.SKIPPED, "o2": S.SKIPPED, "o3": S.SENT, "o4": S.PENDING, "o5": S.PENDING}
    assert "the batch stopped before this message" in Message.objects.get(recipient__username="o5").last_error
    assert messages_deliver(message_ids=ids).sent == 2  # o4 and o5, nobody twice
    assert [e.to[0] for e in raising.sent] == [f"o{i}@example.com" for i in (0, 3, 4, 5)]


def test_with_the_journal_down_every_message_is_still_sent_once(department, settings):
    settings.REMINDERS_JOURNAL_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing answers
    ids = _batch(department, 4)
    assert messages_deliver(message_ids=ids).sent == 2  # each row written at once instead
    assert messages_deliver(message_ids=ids).sent == 0
    assert len(mail.outbox) == 2
    assert Message.objects.filter(status=S.SENT).count() == 2


def test_messages_in_doubt_wait_while_the_journal_cannot_be_read(department, settings):
    ids = _batch(department, 4)
    settings.REMINDERS_JOURNAL_URL = "redis://127.0.0.1:9/0"
    settings.REMINDERS_LEASE_SECONDS = 60
    dead_claim = timezone.now() - dt.timedelta(seconds=61)
    Message.objects.filter(pk__in=ids[:2]).update(status=S.SENDING, claimed_at=dead_claim, attempts=1)
    outcome = messages_deliver(message_ids=ids)
    assert sorted(outcome.retry_ids) == ids[:2] and outcome.retry_in > 0
    assert [email.to for email in mail.outbox] == [["o3@example.com"]]  # not in doubt: sent
    in_doubt = Message.objects.filter(pk__in=ids[:2])
    assert {m.status for m in in_doubt} == {S.PENDING}
    assert all("sent journal could not be read" in m.last_error for m in in_doubt)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("stale_days", "0", DAYS_MUST_BE_POSITIVE),
        ("escalation_days", "-3", DAYS_MUST_BE_POSITIVE),
        ("overdue_daily_days", "0", DAYS_MUST_BE_POSITIVE),
        ("due_soon_days", "3,0", DUE_SOON_DAYS_INVALID.format(value="0")),
        ("due_soon_days", "3,-1", DUE_SOON_DAYS_INVALID.format(value="-1")),
    ],
)
def test_the_admin_refuses_zero_or_negative_days_with_a_message(admin_client, field, value, error):
    row, _ = ReminderSettings.objects.get_or_create(pk=1)  # the migrations create it (a flush may not keep it)
    url = reverse("admin:accountability_remindersettings_change", args=[row.pk])
    response = admin_client.post(url, {**SETTINGS_FORM, field: value})
    assert response.status_code == 200
    assert error in response.content.decode().replace("&#x27;", "'")
    row.refresh_from_db()
    assert (row.due_soon_days, row.stale_days, row.escalation_days, row.overdue_daily_days) == ("3,1", 14, 7, 7)


def test_saved_settings_change_the_rules(admin_client, department, owner):
    row, _ = ReminderSettings.objects.get_or_create(pk=1)
    response = admin_client.post(
        reverse("admin:accountability_remindersettings_change", args=[row.pk]), {**SETTINGS_FORM, "due_soon_days": "5"}
    )
    assert response.status_code == 302
    factories.TaskFactory(department=department, owner=owner, due_date=d(6, 6))
    assert len(sweep(2026, 6, 1, 12)) == 1
    assert sweep(2026, 6, 5, 12) == set()


@pytest.mark.parametrize("messages", [2, 20])
def test_the_message_changelist_is_read_only_filterable_and_takes_fixed_queries(
    admin_client, department, owner, django_assert_num_queries, messages
):
    for i in range(messages):
        factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), title=f"Task {i}")
    sweep(2026, 6, 1, 12)
    url = reverse("admin:accountability_message_changelist")
    # Session, user, the site's app list and the changelist's own queries; none per row.
    with django_assert_num_queries(9):
        response = admin_client.get(url, {"kind": "due_soon", "status": "pending", "q": "owner"})
    assert response.status_code == 200
    assert response.content.decode().count("Due soon for owner") or "Task 0" in response.content.decode()
    assert admin_client.get(reverse("admin:accountability_message_add")).status_code == 403


def test_a_message_that_cannot_be_rendered_is_recorded_and_retried_until_it_gives_up(message, settings, monkeypatch):
    settings.REMINDERS_MAX_ATTEMPTS = 2

    def broken(**kwargs):
        raise ValueError("template broke")

    monkeypatch.setattr(delivery, "message_render", broken)
    assert messages_deliver(message_ids=[message.pk]).retry_ids == [message.pk]
    messages_deliver(message_ids=[message.pk])
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.FAILED, 2)
    assert "template broke" in message.last_error
