"""Celery tasks of the shared floor: the worker heartbeat."""

from __future__ import annotations

from celery import shared_task

from core.job_runs import HEARTBEAT_TASK


@shared_task(name=HEARTBEAT_TASK, ignore_result=True, acks_late=False)
def heartbeat() -> None:
    """Beat sends this every HEALTH_HEARTBEAT_SECONDS; a worker running it proves beat, broker and worker work.

    It does nothing itself: the worker's success signal stamps the time (`core/job_runs.py`),
    which the readiness check reads. Acked early: a lost heartbeat is replaced by the next one.
    """
