"""Delivery under faults, without a worker: time limits, retries' Message-ID, a journal folder that refuses."""

import datetime as dt
import email
import os
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail

from accountability.models import Message
from accountability.reminders import delivery
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.journal import FolderJournal, JournalError
from tests.accountability.test_reminder_delivery import _batch, raising  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
S = Message.Status


def test_a_soft_time_limit_during_a_send_stops_the_batch_and_nothing_goes_twice(department, raising):  # noqa: F811
    ids = _batch(department, 6)
    raising.errors = [None, None, SoftTimeLimitExceeded()]  # o0 sent, o3 sent, o4's send interrupted

    with pytest.raises(SoftTimeLimitExceeded):
        messages_deliver(message_ids=ids)

    statuses = dict(Message.objects.values_list("recipient__username", "status"))
    assert statuses == {"o0": S.SENT, "o1": S.SKIPPED, "o2": S.SKIPPED, "o3": S.SENT, "o4": S.PENDING, "o5": S.PENDING}
    assert [e.to[0] for e in raising.sent] == ["o0@example.com", "o3@example.com"]  # o5 was not tried after it
    assert messages_deliver(message_ids=ids).sent == 2  # the retry: o4 and o5, nobody twice
    assert [e.to[0] for e in raising.sent] == [f"o{i}@example.com" for i in (0, 3, 4, 5)]


def test_a_batch_at_its_own_stop_time_sends_no_more_and_leaves_the_rest_for_an_immediate_retry(department):
    ids = _batch(department, 5)

    outcome = messages_deliver(message_ids=ids, stop_at=time.monotonic())

    assert mail.outbox == []
    assert sorted(outcome.retry_ids) == sorted(ids) and outcome.retry_in == 0
    left = Message.objects.filter(pk__in=outcome.retry_ids)
    assert {(m.status, m.last_error) for m in left} == {(S.PENDING, delivery.OUT_OF_TIME)}
    assert messages_deliver(message_ids=outcome.retry_ids).sent == 3


def test_the_stop_time_leaves_room_for_one_send_before_the_soft_limit(settings):
    settings.REMINDERS_BATCH_SOFT_TIME_LIMIT, settings.EMAIL_TIMEOUT = 600, 10
    assert delivery.batch_stop_at(100.0) == 100 + 600 - 20
    settings.REMINDERS_BATCH_SOFT_TIME_LIMIT = 6
    assert delivery.batch_stop_at(100.0) == 103  # never less than half the limit


def test_each_message_keeps_one_message_id_on_the_sites_domain_across_its_attempts(
    department,
    raising,  # noqa: F811
    settings,
):
    settings.SITE_URL = "https://cco.example.com/"
    ids = _batch(department, 4)
    raising.errors = [ConnectionResetError("dropped"), None, None]

    first = messages_deliver(message_ids=ids)
    messages_deliver(message_ids=first.retry_ids)

    o0 = Message.objects.get(recipient__username="o0")
    assert o0.attempts == 2
    headers = [email.message_from_bytes(e.message().as_bytes())["Message-ID"] for e in raising.sent]
    assert headers == [f"<cco-message-{o0.pk + 3}@cco.example.com>", f"<cco-message-{o0.pk}@cco.example.com>"]
    assert delivery.message_id_header(o0.pk) == headers[1]  # what the first, failed attempt carried too


def test_a_journal_folder_that_cannot_be_cleared_raises_the_journals_own_error(tmp_path):
    # A batch catches JournalError when it clears the journal, and goes on; an OSError escaped it.
    not_a_folder = tmp_path / "journal"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(JournalError):
        FolderJournal(not_a_folder).forget([1, 2])


def test_journal_entries_a_batch_could_not_clear_expire(department, sent_journal):
    sent_journal.mkdir()
    old, recent = sent_journal / "999001", sent_journal / "999002"
    old.write_text(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).isoformat())
    recent.write_text(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).isoformat())
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    os.utime(old, (fifteen_days_ago, fifteen_days_ago))

    messages_deliver(message_ids=_batch(department, 4))

    assert not old.exists()
    assert recent.exists()
