"""Marking scorecards stale after a data change: the request every write records.

The database, not the queue, knows what is stale: every write that affects scorecards
upserts a `RecomputeRequest` row inside its own transaction. On commit, one message is sent
to recompute at once after a quiet spell, or at most one sweep per delay in a burst (so
1,000 edits send a handful of messages, not 1,000). If the broker is down the message is simply lost: the periodic sweep
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

from core.periods import Period, PeriodKind, current_periods
from core.queue import publish
from org.models import RecomputeRequest, SweepClock

# Sent by name: the sweep lives on the accountability floor, above this one.
SWEEP_TASK = "accountability.scorecards_sweep_recompute_requests"
SWEEP_CLOCK = "stale-marks"


def request_key(department_id: int | None) -> str:
    return RecomputeRequest.COMPANY_KEY if department_id is None else f"department-{department_id}"


def scorecard_request_recompute(*, department_ids: Iterable[int | None], dates: Iterable[dt.date | None] = ()) -> None:
    """Mark these departments' (None: only the company's) current scorecards as stale, and past ones.

    `dates` are the dates of the data changed (old and new): each one in a past month or
    quarter marks that period and the next (whose change figure follows it) as well. The
    company's scorecards include every department, so they are always marked too. Call it
    inside the writing transaction: the request commits or rolls back with the edit.
    """
    now = timezone.now()
    department_ids = {d for d in department_ids if d is not None}
    past = past_periods_of(dates, now=now)
    rows = []
    for department_id in [None, *sorted(department_ids)]:
        key = request_key(department_id)
        rows.append(RecomputeRequest(key=key, department_id=department_id, requested_at=now))
        rows += [
            RecomputeRequest(
                key=f"{key}@{period.label}",
                department_id=department_id,
                period_kind=period.kind,
                period_start=period.start,
                requested_at=now,
            )
            for period in past
        ]
    # One upsert: a second edit of the same department only moves requested_at.
    RecomputeRequest.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["key"], update_fields=["requested_at"]
    )
    transaction.on_commit(recompute_requests_enqueue)


def past_periods_of(dates: Iterable[dt.date | None], *, now: dt.datetime) -> list[Period]:
    """The months and quarters before the current ones that hold these dates, and the one after each."""
    current = set(current_periods(now=now))
    periods = set()
    for day in {d for d in dates if d is not None}:
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            period = Period.containing(day, kind)
            periods |= {period, period.next}
    latest = {kind: max(p.start for p in current if p.kind == kind) for kind in (PeriodKind.MONTH, PeriodKind.QUARTER)}
    return sorted((p for p in periods if p.start < latest[p.kind]), key=lambda p: (p.start, p.kind))


def recompute_requests_enqueue(*, now: dt.datetime | None = None) -> bool:
    """Send one sweep message unless one is already waiting: at once after a quiet spell.

    The company's request, part of every request, carries the claim: a conditional UPDATE of
    its `enqueued_at`, so of many committers one sends. The sweep clears the claim when it
    starts (or deletes the row) and notes that start in the `SweepClock`, which lets the next
    edit send the next message: for at once when the last sweep started at least
    `SCORECARD_RECOMPUTE_DELAY` ago (the first edit after a quiet spell), else for that delay
    after it (a burst coalesces into one sweep per delay). At most one message waits at any
    time. Never raises for a broker outage and never waits long for one.
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
    last = SweepClock.objects.filter(name=SWEEP_CLOCK).values_list("started_at", flat=True).first()
    since = (now - last).total_seconds() if last else float("inf")
    return publish(SWEEP_TASK, countdown=max(0.0, settings.SCORECARD_RECOMPUTE_DELAY - since))


def recompute_claim_release(*, now: dt.datetime) -> None:
    """Called by the sweep as it starts: the next edit may send again, and knows when this sweep started."""
    RecomputeRequest.objects.filter(key=RecomputeRequest.COMPANY_KEY).update(enqueued_at=None)
    SweepClock.objects.bulk_create(
        [SweepClock(name=SWEEP_CLOCK, started_at=now)],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["started_at"],
    )
