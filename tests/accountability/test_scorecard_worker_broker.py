"""Broker outages and transient database errors, with real worker and beat processes and a real Redis."""

import datetime as dt
import threading
import time
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accountability.models import Scorecard
from accountability.scorecards.tasks import scorecard_recompute_task
from core.queue import publish
from org.models import RecomputeRequest
from tests import factories
from tests.accountability.scorecard_worker_helpers import (
    SWEEP_TASK,
    fresh_since,
    received,
    save_reading,
)
from tests.worker import database_url, wait_until

pytestmark = pytest.mark.worker


def test_a_save_while_redis_is_down_succeeds_fast_and_the_recompute_catches_up(
    celery_processes, redis_server, department
):
    celery_processes.worker()
    celery_processes.beat(SCORECARD_SWEEP_SECONDS="2")
    wait_until(lambda: received(celery_processes, SWEEP_TASK), timeout=90, message="worker and beat are up")
    metric = factories.MetricFactory(code="first-contact-resolution")
    redis_server.stop()
    time.sleep(3)  # a sweep the worker held when Redis stopped is finished by now
    started = time.monotonic()
    reading = save_reading(department=department, metric=metric)
    took = time.monotonic() - started
    print(f"save with Redis down took {took:.3f}s")
    assert took < 2
    assert reading.pk and RecomputeRequest.objects.filter(department=department).exists()
    time.sleep(4)  # two sweep intervals: beat cannot send, the worker has nothing to do
    assert not fresh_since(department, reading.created_at)
    redis_server.start()  # same port, empty: the message of the save is lost for good
    wait_until(lambda: fresh_since(department, reading.created_at), timeout=120, message="the sweep caught up")


def test_a_worker_goes_on_consuming_after_redis_restarts(celery_processes, redis_server, department):
    worker = celery_processes.worker()
    assert publish(scorecard_recompute_task, period="2026-07", scope="department", department_id=department.pk)
    wait_until(lambda: Scorecard.objects.filter(period_start=dt.date(2026, 7, 1)).exists(), timeout=90)
    redis_server.stop()
    time.sleep(4)
    redis_server.start()
    # The publisher's pooled connection died with Redis; the first send may fail, later ones pass.
    wait_until(
        lambda: publish(scorecard_recompute_task, period="2026-08", scope="department", department_id=department.pk),
        timeout=30,
        interval=1,
        message="Redis accepts messages again",
    )
    wait_until(
        lambda: Scorecard.objects.filter(period_start=dt.date(2026, 8, 1)).exists(),
        timeout=120,
        message="the same worker consumed a message sent after the restart",
    )
    assert worker.poll() is None


def _hold_the_write_lock(seconds: float, locked: threading.Event) -> None:
    """Take the database's write lock for the scorecard table for a while, as a long migration or batch would."""
    try:
        with transaction.atomic():  # on SQLite, BEGIN IMMEDIATE: the whole database's write lock
            if connection.vendor == "postgresql":
                connection.cursor().execute("LOCK TABLE accountability_scorecard IN EXCLUSIVE MODE")
            else:
                Scorecard.objects.exists()
            locked.set()
            time.sleep(seconds)
    finally:
        connection.close()


def test_a_task_retries_a_transient_database_error_with_backoff(celery_processes, department):
    # The worker waits at most 1 s for a lock (SQLite busy timeout, PostgreSQL lock_timeout), so a
    # lock held for 4 s makes its first attempt fail with a real OperationalError.
    url = database_url()
    if url.startswith("postgres"):
        url += "?options=" + quote("-c lock_timeout=1000")
    celery_processes.worker(DATABASE_URL=url, SQLITE_BUSY_TIMEOUT="1")
    time.sleep(8)  # the worker is up before the lock is taken
    locked = threading.Event()
    holder = threading.Thread(target=_hold_the_write_lock, args=(4, locked))
    holder.start()
    locked.wait(10)
    sent_at = timezone.now()
    assert publish(scorecard_recompute_task, period="2026-07", scope="department", department_id=department.pk)
    holder.join()
    wait_until(lambda: department_snapshot_in(department, dt.date(2026, 7, 1)), timeout=120, message="retried")
    logs = celery_processes.logs()
    assert "OperationalError" in logs and "Retry in" in logs, logs[-3000:]
    assert Scorecard.objects.get(period_start=dt.date(2026, 7, 1)).computed_at > sent_at


def department_snapshot_in(department, start: dt.date) -> bool:
    return Scorecard.objects.filter(scope="department", department=department, period_start=start).exists()
