"""Asking for scorecards to be recomputed after data changes, and the sweep that does it.

The database, not the queue, knows what is stale: every write that affects scorecards
upserts a `RecomputeRequest` row inside its own transaction. On commit, one message is sent
to recompute shortly after, unless one was sent recently (so 1,000 edits send a handful of
messages, not 1,000). If the broker is down the message is simply lost: the periodic sweep
finds the rows and recomputes anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

import kombu.exceptions
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import RecomputeRequest
from accountability.periods import Period, PeriodKind
from accountability.scorecard_engine import ScorecardError, scorecard_compute

logger = logging.getLogger(__name__)

UNKNOWN_DEPARTMENT = "There is no department {department!r}."
BROKER_UNREACHABLE = "Could not send %s to the broker (%s); the periodic sweep will catch up."
# What a failed publish raises: kombu wraps connection errors in its OperationalError;
# a socket error can still escape on some transports.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, OSError)


def current_periods(*, now: dt.datetime | None = None) -> list[Period]:
    """The month and the quarter containing today in the organisation's time zone."""
    today = timezone.localdate(now or timezone.now())
    return [Period.containing(today, PeriodKind.MONTH), Period.containing(today, PeriodKind.QUARTER)]


def request_key(department_id: int | None) -> str:
    return RecomputeRequest.COMPANY_KEY if department_id is None else f"department-{department_id}"


def scorecard_request_recompute(*, department_ids: Iterable[int | None]) -> None:
    """Mark these departments' (None: only the company's) current scorecards as stale.

    The company's scorecards include every department, so they are always marked too. Call
    it inside the writing transaction: the request commits or rolls back with the edit.
    """
    now = timezone.now()
    department_ids = {d for d in department_ids if d is not None}
    rows = [RecomputeRequest(key=request_key(None), requested_at=now)]
    rows += [RecomputeRequest(key=request_key(d), department_id=d, requested_at=now) for d in sorted(department_ids)]
    # One upsert: a second edit of the same department only moves requested_at.
    RecomputeRequest.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["key"], update_fields=["requested_at"]
    )
    transaction.on_commit(recompute_requests_enqueue)


def recompute_requests_enqueue(*, now: dt.datetime | None = None) -> bool:
    """Send one delayed sweep message unless one is already pending (sent within the window).

    The company's request, part of every request, carries the claim: a conditional UPDATE
    of its `enqueued_at`, so of many committers one sends. The sweep clears the claim when it
    starts (or deletes the row), which lets the next edit send the next message: at most one
    message waits at any time. Never raises for a broker outage and never waits long for one.
    """
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.SCORECARD_ENQUEUE_WINDOW)
    claimed = (
        RecomputeRequest.objects.filter(key=RecomputeRequest.COMPANY_KEY)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - window))
        .update(enqueued_at=now)
    )
    if not claimed:
        return False
    from accountability.tasks.scorecards import scorecards_sweep_recompute_requests

    return publish(scorecards_sweep_recompute_requests, countdown=settings.SCORECARD_RECOMPUTE_DELAY)


def publish(task, *, countdown: float | None = None, **kwargs) -> bool:
    """Send a task without retrying: True if the broker took it, False (logged) if it is down."""
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown, retry=False)
    except PUBLISH_ERRORS as error:
        logger.warning(BROKER_UNREACHABLE, task.name, error)
        return False
    return True


def recompute_requests_process(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Recompute the oldest stale subjects (at most `limit`), one transaction each; return how many.

    A request is deleted only if nobody asked again while it was being recomputed. The
    send-claim (see `recompute_requests_enqueue`) is released first, so an edit committed
    during the recompute sends the next message.
    """
    limit = limit or settings.SCORECARD_SWEEP_BATCH
    pks = list(RecomputeRequest.objects.order_by("requested_at").values_list("pk", flat=True)[:limit])
    if not pks:
        return 0
    RecomputeRequest.objects.filter(key=RecomputeRequest.COMPANY_KEY).update(enqueued_at=None)
    done = 0
    for request in RecomputeRequest.objects.filter(pk__in=pks).select_related("department"):
        with transaction.atomic():
            _recompute_subject(request=request, now=now)
            RecomputeRequest.objects.filter(pk=request.pk, requested_at=request.requested_at).delete()
        done += 1
    return done


def _recompute_subject(*, request: RecomputeRequest, now: dt.datetime | None) -> None:
    for period in current_periods(now=now):
        if request.department_id is None:
            scorecard_compute(period=period, scope="company", now=now)
        else:
            scorecard_compute(period=period, scope="department", department=request.department, now=now)
    logger.info("Recomputed scorecards of %s for the current month and quarter.", request.key)


def scorecards_recompute_current(*, department_id: int | None, now: dt.datetime | None = None) -> None:
    """Recompute a department's (None: only the company's) and the company's current scorecards now."""
    from roadmap.models import Department

    department = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise ScorecardError(UNKNOWN_DEPARTMENT.format(department=department_id))
    for period in current_periods(now=now):
        with transaction.atomic():
            scorecard_compute(period=period, scope="company", now=now)
            if department is not None:
                scorecard_compute(period=period, scope="department", department=department, now=now)
