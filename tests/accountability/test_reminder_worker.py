"""Exactly once, with real processes: two beats, a worker killed mid-batch, a mail server that refuses."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.reminders.tasks import reminders_fanout
from roadmap.models import Task
from tests import factories
from tests.worker import ScriptedSMTPHandler, sent_message_ids, wait_until

pytestmark = pytest.mark.worker
S = Message.Status


def _due_soon_tasks(department, count: int, **owner_fields) -> None:
    """`count` tasks due in three days (the organisation's date), each with its own owner."""
    due = timezone.localdate() + dt.timedelta(days=3)
    initiative = factories.InitiativeFactory(
        start_date=due - dt.timedelta(days=400), end_date=due + dt.timedelta(days=400)
    )
    for i in range(count):
        owner = factories.TaskOwnerFactory(username=f"owner{i}", **owner_fields)
        factories.TaskFactory(department=department, owner=owner, initiative=initiative, due_date=due)


def _all_done() -> bool:
    return Message.objects.exists() and not Message.objects.filter(status__in=[S.PENDING, S.SENDING]).exists()


def _mail_env(tmp_path, **extra) -> dict[str, str]:
    return {"EMAIL_URL": "filemail://", "EMAIL_FILE_PATH": str(tmp_path / "mail"), **extra}


def test_two_beat_processes_firing_the_sweep_deliver_each_message_once(celery_processes, department, tmp_path):
    _due_soon_tasks(department, 15)
    env = _mail_env(tmp_path, REMINDERS_SWEEP_SECONDS="1")
    celery_processes.worker(concurrency=2, **env)
    celery_processes.beat(**env)
    celery_processes.beat(**env)
    wait_until(
        lambda: celery_processes.logs().count("Sending due task reminders-fanout") >= 6,
        timeout=90,
        message="both beats fired the sweep several times",
    )
    wait_until(_all_done, timeout=90, message="every message delivered")
    time.sleep(2)  # let any duplicate sweep or batch finish
    ids = sent_message_ids(tmp_path / "mail")
    assert Message.objects.filter(kind=Message.Kind.DUE_SOON).count() == 15
    assert sorted(ids) == sorted(Message.objects.filter(status=S.SENT).values_list("id", flat=True))
    assert len(ids) == len(set(ids)) >= 15


def test_with_a_folder_journal_a_worker_killed_mid_batch_is_replaced_and_every_message_goes_out_once(
    celery_processes, department, tmp_path
):
    _due_soon_tasks(department, 12)
    ReminderSettings.objects.update_or_create(pk=1, defaults={"batch_size": 6})
    env = _mail_env(
        tmp_path,
        EMAIL_BACKEND="tests.mail_backends.SlowFileBackend",
        SLOW_EMAIL_SECONDS="0.7",
        CELERY_VISIBILITY_TIMEOUT="5",
        CELERY_UNACKED_RESTORE_INTERVAL="1",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
        REMINDERS_LEASE_SECONDS="5",
        # The journal that is not the message row: the re-claiming worker must ask it. (The
        # default database journal: tests/accountability/test_reminder_worker_faults.py.)
        REMINDERS_JOURNAL_URL=(tmp_path / "journal").as_uri(),
    )
    first = celery_processes.worker(**env)
    reminders_fanout.delay()
    wait_until(lambda: len(sent_message_ids(tmp_path / "mail")) >= 2, timeout=60, message="two emails written")
    # Kill inside the batch: some emails are out, none of its outcomes is written yet.
    celery_processes.kill(first)
    killed_at = timezone.now()
    sent_by_the_dead = set(sent_message_ids(tmp_path / "mail"))
    assert 2 <= len(sent_by_the_dead) < 6
    assert set(Message.objects.filter(status=S.SENDING).values_list("id", flat=True)) >= sent_by_the_dead
    assert Message.objects.filter(status=S.SENDING).count() == 6  # the whole claimed batch
    assert Message.objects.filter(status=S.PENDING).count() == 6
    celery_processes.worker(**env)
    wait_until(_all_done, timeout=120, message="the second worker delivered the rest")
    ids = sent_message_ids(tmp_path / "mail")
    assert Message.objects.filter(status=S.SENT).count() == 12
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 12  # the journal kept the dead worker's from going twice
    recovered = Message.objects.filter(id__in=sent_by_the_dead)
    assert all(m.sent_at < killed_at for m in recovered)  # recorded with the time they really went out
    assert Message.objects.filter(attempts=2).count() == 6  # the dead worker's batch was claimed twice


def test_a_mail_server_refusing_at_first_delivers_once_and_a_permanent_refusal_fails_once(
    celery_processes, department, tmp_path, smtp_server
):
    _due_soon_tasks(department, 2)
    rejected = factories.UserFactory(username="rejected", email="nobody@example.com")
    existing = Task.objects.first()
    factories.TaskFactory(
        department=department, owner=rejected, due_date=existing.due_date, initiative=existing.initiative
    )
    handler = ScriptedSMTPHandler(refusals=2, rejected=("nobody@example.com",))
    server = smtp_server(handler)
    celery_processes.worker(
        EMAIL_URL=f"smtp://{server.hostname}:{server.port}",
        REMINDERS_RETRY_BACKOFF_SECONDS="0.5",
        REMINDERS_MAX_ATTEMPTS="5",
    )
    reminders_fanout.delay()
    wait_until(_all_done, timeout=90, message="every message sent or failed")
    time.sleep(3)  # a wrongly retried failure would show up here
    sent = Message.objects.filter(status=S.SENT).select_related("recipient")
    assert sorted((m.recipient.username, m.attempts) for m in sent) == [("owner0", 3), ("owner1", 3)]
    assert sorted(address for address, _ in handler.delivered) == ["owner0@example.com", "owner1@example.com"]
    failed = Message.objects.get(recipient=rejected)
    assert (failed.status, failed.attempts) == (S.FAILED, 1)
    assert "550" in failed.last_error
    assert handler.rcpts.count("nobody@example.com") == 1
    assert handler.rcpts.count("owner0@example.com") == 3  # refused twice (451), accepted the third time
