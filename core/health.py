"""Readiness checks: the database, the broker, the cache, the worker heartbeat, beat, and each scheduled job.

Each check answers `ok` and what it saw. A failing check names the exception's class only: the
details (which may hold a host name) go to the log, never to an anonymous probe. The job and
beat checks read the rows Celery's signals write (`core/job_runs.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.job_runs import HEARTBEAT_TASK
from core.models import JobRun

logger = logging.getLogger(__name__)

CHECK_FAILED = "Health check %s failed: %r"
CACHE_KEY = "health:probe"


def _database(now: dt.datetime, runs: dict) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _broker(now: dt.datetime, runs: dict) -> dict:
    # A connect that fails fast (the broker options' 1 s timeouts), without kombu's retries.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        conn.default_channel  # noqa: B018 - Redis pings the server when the channel opens
    return {"ok": True}


def _cache(now: dt.datetime, runs: dict) -> dict:
    stamp = now.isoformat()
    cache.set(CACHE_KEY, stamp, 30)
    return {"ok": cache.get(CACHE_KEY) == stamp}


def _age(now: dt.datetime, then: dt.datetime | None) -> float | None:
    return round((now - then).total_seconds(), 1) if then else None


def _worker(now: dt.datetime, runs: dict) -> dict:
    run = runs.get(HEARTBEAT_TASK)
    last = run.last_succeeded_at if run else None
    stale_after = settings.HEALTH_WORKER_STALE_MINUTES * 60
    age = _age(now, last)
    return {
        "ok": age is not None and age <= stale_after,
        "last_heartbeat": last,
        "worker": run.last_worker if run else "",
        "age_seconds": age,
        "stale_after_seconds": stale_after,
    }


def _beat(now: dt.datetime, runs: dict) -> dict:
    last = max((run.last_sent_at for run in runs.values() if run.last_sent_at), default=None)
    stale_after = settings.HEALTH_BEAT_STALE_MINUTES * 60
    age = _age(now, last)
    return {
        "ok": age is not None and age <= stale_after,
        "last_sent": last,
        "age_seconds": age,
        "stale_after_seconds": stale_after,
    }


def job_lateness(*, entry: dict, run: JobRun | None, since: dt.datetime | None, now: dt.datetime) -> float | None:
    """Seconds past the time the schedule should have run the job again after its last success (or after
    `since`, when beat first showed life, for a job that never succeeded); None when there is nothing to judge."""
    baseline = (run.last_succeeded_at if run else None) or since
    if baseline is None:
        return None
    schedule = maybe_schedule(entry["schedule"], app=current_app)
    # remaining_estimate(last) is how long from now until the run due after `last`: negative when overdue.
    remaining = schedule.remaining_estimate(baseline)
    return max(0.0, -remaining.total_seconds())


def _jobs(now: dt.datetime, runs: dict) -> dict:
    grace = settings.HEALTH_JOB_GRACE_MINUTES * 60
    since = min((run.created_at for run in runs.values() if run.last_sent_at), default=None)
    jobs, ok = {}, True
    for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        run = runs.get(entry["task"])
        overdue = job_lateness(entry=entry, run=run, since=since, now=now)
        late = overdue is not None and overdue > grace
        ok = ok and not late
        jobs[name] = {
            "task": entry["task"],
            "late": late,
            "overdue_seconds": overdue,
            "last_sent": run.last_sent_at if run else None,
            "last_succeeded": run.last_succeeded_at if run else None,
            "last_failed": run.last_failed_at if run else None,
        }
    return {"ok": ok, "grace_seconds": grace, "jobs": jobs}


CHECKS: dict[str, Callable[[dt.datetime, dict], dict]] = {
    "database": _database,
    "broker": _broker,
    "cache": _cache,
    "worker": _worker,
    "beat": _beat,
    "jobs": _jobs,
}
NEEDS_RUNS = {"worker", "beat", "jobs"}


def health_checks(*, names: list[str] | None = None, now: dt.datetime | None = None) -> dict[str, dict]:
    """Run the named checks (all by default), each with its time in milliseconds; never raises."""
    now = now or timezone.now()
    names = names or list(CHECKS)
    runs: dict | None = None
    results = {}
    for name in names:
        started = time.perf_counter()
        if name in NEEDS_RUNS and results.get("database", {}).get("ok") is False:
            # Their rows are in the database that just failed: asking again would only wait again.
            results[name] = {"ok": False, "error": "DatabaseUnavailable", "ms": 0.0}
            continue
        try:
            if name in NEEDS_RUNS and runs is None:
                runs = {run.name: run for run in JobRun.objects.all()}
            result = CHECKS[name](now, runs or {})
        except Exception as error:  # any failure of a dependency is the check's answer
            logger.warning(CHECK_FAILED, name, error)
            result = {"ok": False, "error": error.__class__.__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results
