"""Celery tasks for scorecards: ids and period text in, one call to the door or a sweep."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from accountability.scorecards import services, sweeps

__all__ = [
    "scorecard_recompute_task",
    "scorecards_close_periods",
    "scorecards_nightly_recompute",
    "scorecards_sweep_recompute_requests",
]

# Every service here is idempotent, which is what makes late acks and retries safe.
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    # Transient database errors (a lock timeout, a dropped connection): retry with backoff.
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "ignore_result": True,
}


@shared_task(name="accountability.scorecard_recompute", **TASK_OPTIONS)
def scorecard_recompute_task(
    *, period: str, scope: str, department_id: int | None = None, owner_id: int | None = None
) -> None:
    services.scorecard_recompute(period=period, scope=scope, department_id=department_id, owner_id=owner_id)


@shared_task(name="accountability.scorecards_sweep_recompute_requests", **TASK_OPTIONS)
def scorecards_sweep_recompute_requests() -> None:
    sweeps.recompute_requests_process()


@shared_task(name="accountability.scorecards_nightly_recompute", **TASK_OPTIONS)
def scorecards_nightly_recompute() -> None:
    sweeps.scorecards_nightly_run()


@shared_task(name="accountability.scorecards_close_periods", **TASK_OPTIONS)
def scorecards_close_periods() -> None:
    sweeps.scorecards_close_due()
