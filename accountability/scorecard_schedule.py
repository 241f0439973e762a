"""What the scheduled sweeps do: the nightly recompute, closing periods, and on-demand recomputes.

Beat runs these sweeps often and possibly twice (two beat processes, a retry): each claims its
work in the database first, so it runs once per local date or per period whoever calls it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accountability.models import ScheduledRun, Scorecard, ScorecardSettings
from accountability.periods import Period, PeriodKind
from accountability.recompute import UNKNOWN_DEPARTMENT, current_periods, publish
from accountability.scorecard_engine import (
    ScorecardError,
    scorecard_compute,
    scorecards_close_period,
    scorecards_compute_period,
)
from roadmap.models import Department

logger = logging.getLogger(__name__)

NIGHTLY = "nightly-recompute"
UNKNOWN_DEPARTMENT_SLUG = "There is no department with the slug {slug!r}."
UNKNOWN_OWNER = "There is no user {owner!r}."


def scorecard_settings_get() -> ScorecardSettings:
    """The settings row, or the defaults when CCO staff never saved one."""
    return ScorecardSettings.objects.order_by("pk").first() or ScorecardSettings()


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


def scorecard_recompute(
    *,
    period: str,
    scope: str,
    department_id: int | None = None,
    owner_id: int | None = None,
    now: dt.datetime | None = None,
) -> Scorecard:
    """Recompute one snapshot named by ids and period text (what a task receives)."""
    department = owner = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise ScorecardError(UNKNOWN_DEPARTMENT.format(department=department_id))
    if owner_id is not None:
        owner = get_user_model().objects.filter(pk=owner_id).first()
        if owner is None:
            raise ScorecardError(UNKNOWN_OWNER.format(owner=owner_id))
    return scorecard_compute(period=Period.parse(period), scope=scope, department=department, owner=owner, now=now)


def scorecards_recompute_enqueue(*, scorecards: Iterable[Scorecard]) -> list[bool]:
    """Send one recompute message per snapshot when the transaction commits; what the broker took.

    The list is complete when called outside a transaction (an admin action); inside one it
    fills when the transaction commits.
    """
    from accountability.tasks.scorecards import scorecard_recompute_task

    sent: list[bool] = []
    for card in scorecards:
        kwargs = {
            "period": card.period.label,
            "scope": card.scope,
            "department_id": card.department_id,
            "owner_id": card.owner_id,
        }
        transaction.on_commit(lambda kwargs=kwargs: sent.append(publish(scorecard_recompute_task, **kwargs)))
    return sent


def scorecards_recompute_command(*, period: Period, department_slug: str | None = None, close: bool = False) -> int:
    """Recompute a period synchronously (all scopes, or one department and the company); optionally close it."""
    department_ids = None
    if department_slug is not None:
        department = Department.objects.filter(slug=department_slug).first()
        if department is None:
            raise ScorecardError(UNKNOWN_DEPARTMENT_SLUG.format(slug=department_slug))
        department_ids = [department.pk]
    count = scorecards_compute_period(period=period, department_ids=department_ids)
    if close:
        scorecards_close_period(period=period)
    return count
