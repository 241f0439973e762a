"""Delivery without a broker: claims, skips, transient and permanent SMTP errors, rendering, admin."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.models.reminders import DAYS_MUST_BE_POSITIVE, DUE_SOON_DAYS_INVALID
from accountability.reminders import delivery
from accountability.reminders.delivery import messages_deliver
from tests import factories
from tests.accountability.reminder_helpers import d, sweep
from tests.mail_backends import RaisingBackend

S = Message.Status


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
    data = {
        "due_soon_days": "3,1",
        "overdue_daily_days": 7,
        "overdue_repeat_days": 7,
        "stale_days": 14,
        "escalation_days": 7,
        "digest_weekday": 0,
        "digest_hour": 8,
        "batch_size": 100,
        field: value,
    }
    response = admin_client.post(reverse("admin:accountability_remindersettings_add"), data)
    assert response.status_code == 200
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not ReminderSettings.objects.exists()


def test_saved_settings_change_the_rules(admin_client, department, owner):
    response = admin_client.post(
        reverse("admin:accountability_remindersettings_add"),
        {
            "due_soon_days": "5",
            "overdue_daily_days": 7,
            "overdue_repeat_days": 7,
            "stale_days": 14,
            "escalation_days": 7,
            "digest_weekday": 0,
            "digest_hour": 8,
            "batch_size": 100,
        },
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
