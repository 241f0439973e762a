"""What beat's sweeps do: the nightly recompute, closing periods, and recomputing what is marked stale.

Beat runs these sweeps often and possibly twice (two beat processes, a retry): each claims its
work in the database first, so it runs once per local date, per period or per stale mark,
whoever calls it. Each calls the door, `accountability.scorecards.services`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accountability.models import ScheduledRun
from accountability.scorecards.services import (
    scorecard_settings_get,
    scorecards_close_period,
    scorecards_compute_period,
    scorecards_compute_subjects,
)
from core.periods import Period, PeriodKind, current_periods
from org.models import RecomputeRequest
from org.stale import recompute_claim_release

logger = logging.getLogger(__name__)

NIGHTLY = "nightly-recompute"


def scorecards_nightly_run(*, now: dt.datetime | None = None) -> bool:
    """Recompute the current month and quarter once per local date, from the configured hour on."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < scorecard_settings_get().nightly_recompute_hour:
        return False
    ScheduledRun.objects.get_or_create(name=NIGHTLY)
    previous = ScheduledRun.objects.filter(name=NIGHTLY).values_list("last_run_on", flat=True).first()
    # The conditional UPDATE is the claim: of two beats (or a retry), one changes the row.
    claimed = (
        ScheduledRun.objects.filter(name=NIGHTLY)
        .filter(Q(last_run_on__isnull=True) | Q(last_run_on__lt=local.date()))
        .update(last_run_on=local.date())
    )
    if not claimed:
        return False
    try:
        for period in current_periods(now=now):
            scorecards_compute_period(period=period, now=now)
    except BaseException:
        # Give the claim back so that the task's retry (or the next sweep) runs it again.
        ScheduledRun.objects.filter(name=NIGHTLY, last_run_on=local.date()).update(last_run_on=previous)
        raise
    logger.info("Nightly recompute ran for %s.", local.date())
    return True


def scorecards_close_due(*, now: dt.datetime | None = None) -> list[Period]:
    """Close the previous month and quarter once, from day `close_previous_period_on_day` of the new one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    close_day = scorecard_settings_get().close_previous_period_on_day
    closed = []
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        current = Period.containing(today, kind)
        previous = current.previous
        name = f"close-{previous.label}"
        if (today - current.start).days + 1 < close_day or ScheduledRun.objects.filter(name=name).exists():
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ScheduledRun.objects.create(name=name, last_run_on=today)
            except IntegrityError:  # another beat's sweep closed it first
                continue
            # The last recompute makes the kept snapshot include late edits.
            scorecards_compute_period(period=previous, now=now)
            scorecards_close_period(period=previous, now=now)
        logger.info("Closed the scorecards of %s.", previous.label)
        closed.append(previous)
    return closed


def recompute_requests_process(*, now: dt.datetime | None = None, limit: int | None = None) -> int:
    """Recompute the oldest stale subjects (at most `limit`); return how many.

    The subjects marked for the same period are computed together: first every stale
    department, from one run of the grouped queries per period (what an editor looks at, and
    cheap: only their own data), then the company, which reads every department's data; each
    the current month before the current quarter, one transaction per period. A request is
    deleted only if nobody asked again while it was being recomputed. The send-claim (see
    `recompute_requests_enqueue`) is released first, so an edit committed during the recompute
    sends the next message.
    """
    limit = limit or settings.SCORECARD_SWEEP_BATCH
    # Oldest period first: a period's change figure reads the one before it.
    order = [F("period_start").asc(nulls_last=True), "requested_at", "pk"]
    requests = list(RecomputeRequest.objects.order_by(*order)[:limit])
    if not requests:
        return 0
    recompute_claim_release(now=now or timezone.now())
    for periods, group in _by_period(requests, now=now):
        departments = [r for r in group if r.department_id is not None]
        company = [r for r in group if r.department_id is None]
        # The departments first: what their editors look at, and cheap (their own data only);
        # then the company, which reads every department's data.
        for part, ids in ((departments, [r.department_id for r in departments]), (company, [])):
            if part:
                for period in periods:
                    scorecards_compute_subjects(period=period, company=part is company, department_ids=ids, now=now)
                _requests_clear(part)
        current = " (current periods)" if group[0].period_start is None else ""
        logger.info("Recomputed scorecards of %s%s.", ", ".join(r.key for r in group), current)
    return len(requests)


def _requests_clear(requests: list[RecomputeRequest]) -> None:
    """Delete the requests recomputed; one renewed meanwhile (a later requested_at) stays, for the next sweep."""
    unchanged = Q()
    for request in requests:
        unchanged |= Q(pk=request.pk, requested_at=request.requested_at)
    RecomputeRequest.objects.filter(unchanged).delete()


def _by_period(
    requests: list[RecomputeRequest], *, now: dt.datetime | None
) -> list[tuple[list[Period], list[RecomputeRequest]]]:
    """The requests grouped by what they ask for, in their order: one past period, or the current month and quarter."""
    groups: dict[tuple, list[RecomputeRequest]] = {}
    for request in requests:
        groups.setdefault((request.period_kind, request.period_start), []).append(request)
    return [
        ([Period(kind, start)] if start is not None else current_periods(now=now), group)
        for (kind, start), group in groups.items()
    ]
