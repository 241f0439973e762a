"""What beat and the workers did with each task: the rows behind the health checks and the task metrics.

Celery's own signals call these (connected in `core/apps.py`), in every process: beat notes
each scheduled task it sends, a worker each task that succeeded, failed or was retried. A
failure to write here (the database is down) is logged and never fails the task or stops beat:
the health checks then say the database is down, which is the news.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket

from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from core.models import JobRun

logger = logging.getLogger(__name__)

HEARTBEAT_TASK = "core.heartbeat"
OUTCOMES = ("succeeded", "failed", "retried")
NOT_RECORDED = "Could not record %s of task %s (%s)."
# Set by Celery 5.3+ on every message beat sends (celery/beat.py).
BEAT_HEADER = "celery_beat_task"


def job_run_record(
    *, name: str, outcome: str, error: str = "", worker: str = "", now: dt.datetime | None = None
) -> None:
    """Count one run of task `name` (succeeded, failed or retried) and stamp its time."""
    now = now or timezone.now()
    changes: dict = {outcome: F(outcome) + 1, "last_worker": worker[:200]}
    if outcome == "succeeded":
        changes["last_succeeded_at"] = now
    elif outcome == "failed":
        changes.update(last_failed_at=now, last_error=error[:300])
    _upsert(name, changes)


def job_sent_record(*, name: str, now: dt.datetime | None = None) -> None:
    """Beat sent task `name` now."""
    _upsert(name, {"last_sent_at": now or timezone.now()})


def _upsert(name: str, changes: dict) -> None:
    # An UPDATE first: after the first run the row exists, and one statement does it.
    if not JobRun.objects.filter(name=name).update(**changes):
        JobRun.objects.bulk_create([JobRun(name=name)], ignore_conflicts=True)
        JobRun.objects.filter(name=name).update(**changes)


def _record_safely(what: str, name: str, record, **kwargs) -> None:
    try:
        record(name=name, **kwargs)
    except DatabaseError as error:
        logger.warning(NOT_RECORDED, what, name, error.__class__.__name__)
        # A broken connection would fail every later write of this process (beat has no request
        # cycle to replace it): drop it, and the next write connects anew.
        _outside_transactions(connection.close)


def _outside_transactions(action) -> None:
    """Beat's and a worker's main process never write inside a transaction; a caller that does keeps its connection."""
    if not connection.in_atomic_block:
        action()


def _worker_name(task) -> str:
    return getattr(task.request, "hostname", None) or socket.gethostname()


# --- Celery signal receivers (connected in core/apps.py) ---


def on_task_success(sender=None, **kwargs) -> None:
    _record_safely("a success", sender.name, job_run_record, outcome="succeeded", worker=_worker_name(sender))


def on_task_failure(sender=None, exception=None, **kwargs) -> None:
    error = exception.__class__.__name__ if exception is not None else ""
    _record_safely("a failure", sender.name, job_run_record, outcome="failed", error=error, worker=_worker_name(sender))


def on_task_retry(sender=None, **kwargs) -> None:
    _record_safely("a retry", sender.name, job_run_record, outcome="retried", worker=_worker_name(sender))


def on_task_published(sender=None, headers=None, **kwargs) -> None:
    """In beat's process: note each scheduled task sent, which tells when beat last ran."""
    if headers and headers.get(BEAT_HEADER):
        _outside_transactions(close_old_connections)  # beat lives for weeks: an old or broken connection is renewed
        _record_safely("the sending", sender, job_sent_record)


def on_beat_init(sender=None, **kwargs) -> None:
    """Beat has just started: readiness need not wait for its first scheduled send (up to a minute)."""
    _outside_transactions(close_old_connections)
    _record_safely("the start of beat", HEARTBEAT_TASK, job_sent_record)


def on_worker_ready(sender=None, **kwargs) -> None:
    """A worker that has just started is alive: readiness need not wait for beat's first heartbeat."""
    hostname = (getattr(sender, "hostname", "") or socket.gethostname())[:200]
    try:
        _upsert(HEARTBEAT_TASK, {"last_succeeded_at": timezone.now(), "last_worker": hostname})
    except DatabaseError as error:
        logger.warning(NOT_RECORDED, "the start", HEARTBEAT_TASK, error.__class__.__name__)
    finally:
        # The pool forks from this process later (a child replaced): no child may inherit this connection.
        _outside_transactions(connection.close)
