"""Exactly once under the faults of a production night, counted by the mail server itself (Message-ID).

A worker SIGKILLed mid-batch while Redis (without persistence) restarts; a mail server so slow
that a batch runs past its soft time limit; PostgreSQL killing the worker's connections mid-batch.
"""

import time

import pytest
from django.db import connection

from accountability.models import Message, ReminderSettings
from accountability.reminders.tasks import reminders_fanout
from tests.accountability.test_reminder_worker import _all_done, _due_soon_tasks
from tests.worker import ScriptedSMTPHandler, wait_until

pytestmark = pytest.mark.worker
S = Message.Status
FAST_RECOVERY = {  # a dead worker's batch is back in a few seconds, not the production quarter hour
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "REMINDERS_LEASE_SECONDS": "5",
}


def _smtp_env(server) -> dict[str, str]:
    return {"EMAIL_URL": f"smtp://{server.hostname}:{server.port}", "SITE_URL": "https://cco.example.com"}


def _assert_each_delivered_once(handler: ScriptedSMTPHandler, count: int) -> None:
    delivered = handler.message_ids()
    expected = {f"<cco-message-{pk}@cco.example.com>" for pk in Message.objects.values_list("pk", flat=True)}
    duplicates = len(delivered) - len(set(delivered))
    missing = expected - set(delivered)
    assert (len(expected), duplicates, sorted(missing)) == (count, 0, [])
    assert Message.objects.filter(status=S.SENT).count() == count


def test_a_worker_killed_while_redis_restarts_empty_sends_nothing_twice(
    celery_processes, redis_server, department, smtp_server
):
    _due_soon_tasks(department, 12)
    ReminderSettings.objects.create(batch_size=6)
    handler = ScriptedSMTPHandler(delay=0.5)
    env = {**_smtp_env(smtp_server(handler)), **FAST_RECOVERY}
    first = celery_processes.worker(**env)
    reminders_fanout.delay()
    wait_until(lambda: len(handler.delivered) >= 2, timeout=60, message="two emails accepted")
    celery_processes.kill(first)  # mid-batch: some accepted, the batch's final write not done
    redis_server.stop()  # the broker's Redis keeps nothing on disk: queue and keys are gone
    redis_server.start()
    assert 2 <= len(handler.delivered) < 12

    celery_processes.worker(**env)
    celery_processes.beat(REMINDERS_SWEEP_SECONDS="1", **env)  # re-enqueues the dead worker's batch
    wait_until(_all_done, timeout=120, message="every message delivered after the restart")
    time.sleep(2)  # a duplicate would arrive now

    _assert_each_delivered_once(handler, 12)


def test_a_mail_server_slower_than_the_soft_time_limit_allows_delivers_each_message_once(
    celery_processes, department, smtp_server
):
    _due_soon_tasks(department, 10)
    ReminderSettings.objects.create(batch_size=10)
    handler = ScriptedSMTPHandler(delay=0.6)  # 10 messages: 6 s, twice the soft limit
    env = _smtp_env(smtp_server(handler))
    celery_processes.worker(REMINDERS_BATCH_SOFT_TIME_LIMIT="3", EMAIL_TIMEOUT="2", **env)
    reminders_fanout.delay()
    wait_until(_all_done, timeout=90, message="every message delivered")
    time.sleep(2)

    _assert_each_delivered_once(handler, 10)
    logs = celery_processes.logs()
    assert "Hard time limit" not in logs and "SIGKILL" not in logs  # stopped itself, nothing killed
    assert Message.objects.filter(attempts__gte=2).exists()  # the batch did stop and retry


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="kills PostgreSQL backends")
def test_postgresql_killing_the_workers_connections_mid_batch_loses_and_repeats_nothing(
    celery_processes, department, smtp_server
):
    _due_soon_tasks(department, 8)
    ReminderSettings.objects.create(batch_size=8)
    handler = ScriptedSMTPHandler(delay=0.4)
    celery_processes.worker(**_smtp_env(smtp_server(handler)), **FAST_RECOVERY)
    reminders_fanout.delay()
    wait_until(lambda: len(handler.delivered) >= 2, timeout=60, message="two emails accepted")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchall(), "the worker's connections were killed"
    wait_until(_all_done, timeout=90, message="every message delivered")
    time.sleep(2)

    _assert_each_delivered_once(handler, 8)
