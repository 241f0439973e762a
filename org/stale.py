"""Marking scorecards stale after a data change: the request every write records.

The database, not the queue, knows what is stale: every write that affects scorecards
upserts a `RecomputeRequest` row inside its own transaction. On commit, one message is sent
to recompute shortly after, unless one was sent recently (so 1,000 edits send a handful of
messages, not 1,000). If the broker is down the message is simply lost: the periodic sweep
(`accountability.scorecards.sweeps`) finds the rows and recomputes anyway. This module sits on
the organisation floor so that every app that writes can call it without importing the
scorecards above it (docs/adr/0001-stale-marks-in-the-database.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import publish
from org.models import RecomputeRequest

# Sent by name: the sweep lives on the accountability floor, above this one.
SWEEP_TASK = "accountability.scorecards_sweep_recompute_requests"


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
    return publish(SWEEP_TASK, countdown=settings.SCORECARD_RECOMPUTE_DELAY)
