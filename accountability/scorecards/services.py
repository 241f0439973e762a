"""The one door to scorecards: compute them now, or ask a worker to, for any period and scope.

Callers (the API, the review pages, the admin, the command, the Celery tasks, the sweeps) use
only this module: `scorecard_compute` (one snapshot), `scorecards_compute_period` (every scope
of a period), `scorecards_compute_subjects` (some departments, or the company, in one
computation: what the stale-mark sweep runs), `scorecards_close_period`, `scorecard_recompute`
(by ids, what a task receives), `scorecards_recompute_enqueue` (one message per snapshot),
`scorecards_recompute_period` (what the API asks for), `scorecards_recompute_command`,
`scorecards_backfill_plan` and `scorecards_backfill` (history from day one),
`scorecards_reopen_period`, `scorecard_settings_get`, `scorecard_settings_validate`,
`period_from_text` and `ScorecardError`.
Writes elsewhere only mark scorecards stale (`org.stale`); `sweeps.py` picks the marks up.
The formulas are those of docs/domain.md; each part lives in a small module of
`accountability.scorecards` (delivery, attainment, growth, overall, store).

Scoping:
- company: every task, every customer movement (also those without a department). Metrics:
  every active metric against its company target. A company-level metric uses its own
  readings; a department-level metric is aggregated over all departments' readings (sum: the
  sum of all; average: the mean of all readings; last value: the sum of each department's
  last reading, since such metrics are stocks like `customers`).
- department: that department's tasks, movements and readings; its department-level metrics
  against the department's target, or the company target when it has none. Company-level
  metrics are not on department scorecards.
- owner: the tasks the user owns, in any department; delivery only (metrics and growth are
  not measured per owner, and the scorecard says so).
The starting customer count S is the total of the metric `customers` on its latest date before
the period's first day (per department; the company adds them up).

Queries: a whole period (company, every department, every owner) takes a fixed number of
grouped queries, whatever the number of tasks, readings or movements; one scorecard too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from accountability.models import Scorecard, ScorecardSettings
from accountability.models.weights import (
    WEIGHT_NEGATIVE,
    WEIGHTS_ADD_UP_TO_ZERO,
    scorecard_settings_validate,
)
from accountability.scorecards.context import COMPANY, DEPARTMENT, OWNER, Context, settings_for_update
from accountability.scorecards.gather import compute_drafts
from accountability.scorecards.store import snapshots_store
from core.periods import Period, PeriodKind, current_periods
from core.queue import publish
from customers.models import CustomerMovement, Reading
from org.models import Department
from org.selectors import UNKNOWN_DEPARTMENT, UNKNOWN_OWNER
from roadmap.models import Task

# Sent by name: the tasks module imports this one, never the other way round.
RECOMPUTE_TASK = "accountability.scorecard_recompute"

__all__ = [
    "BACKFILL_BACKWARDS",
    "BACKFILL_FUTURE",
    "COMPANY_TAKES_NO_SUBJECT",
    "DEPARTMENT_REQUIRED",
    "NOT_A_PERIOD",
    "NO_DATA",
    "OWNER_REQUIRED",
    "UNKNOWN_DEPARTMENT",
    "UNKNOWN_DEPARTMENT_SLUG",
    "UNKNOWN_OWNER",
    "UNKNOWN_SCOPE",
    "WEIGHTS_ADD_UP_TO_ZERO",
    "WEIGHT_NEGATIVE",
    "ScorecardError",
    "period_from_text",
    "scorecard_compute",
    "scorecard_recompute",
    "scorecard_settings_get",
    "scorecard_settings_validate",
    "scorecards_backfill",
    "scorecards_backfill_plan",
    "scorecards_close_period",
    "scorecards_compute_period",
    "scorecards_compute_subjects",
    "scorecards_recompute_command",
    "scorecards_recompute_enqueue",
    "scorecards_recompute_period",
    "scorecards_reopen_period",
]

UNKNOWN_SCOPE = "Unknown scorecard scope {scope!r}; use company, department or owner."
COMPANY_TAKES_NO_SUBJECT = "A company scorecard takes neither a department nor an owner."
DEPARTMENT_REQUIRED = "A department scorecard needs a department, and no owner."
OWNER_REQUIRED = "An owner scorecard needs an owner, and no department."
UNKNOWN_DEPARTMENT_SLUG = "There is no department with the slug {slug!r}."
NOT_A_PERIOD = "{value!r} is not a period; write 2026-Q3 for a quarter or 2026-07 for a month."


class ScorecardError(ValueError):
    """A recompute asked for something that does not exist or does not fit together."""


def period_from_text(text: str) -> Period:
    """'2026-Q1' or '2026-03' → Period; ScorecardError otherwise."""
    try:
        return Period.parse(text)
    except (ValueError, AttributeError):
        raise ScorecardError(NOT_A_PERIOD.format(value=text)) from None


def _check_period(period: object) -> None:
    if not isinstance(period, Period):
        raise ScorecardError(NOT_A_PERIOD.format(value=period))


def _check_subject(scope: str, department: Department | None, owner) -> None:
    if scope not in (COMPANY, DEPARTMENT, OWNER):
        raise ScorecardError(UNKNOWN_SCOPE.format(scope=scope))
    if scope == COMPANY and (department is not None or owner is not None):
        raise ScorecardError(COMPANY_TAKES_NO_SUBJECT)
    if scope == DEPARTMENT and (department is None or owner is not None):
        raise ScorecardError(DEPARTMENT_REQUIRED)
    if scope == OWNER and (owner is None or department is not None):
        raise ScorecardError(OWNER_REQUIRED)
    if department is not None and not Department.objects.filter(pk=department.pk).exists():
        raise ScorecardError(UNKNOWN_DEPARTMENT.format(ids=department.pk))
    if owner is not None and not get_user_model().objects.filter(pk=owner.pk).exists():
        raise ScorecardError(UNKNOWN_OWNER.format(id=owner.pk))


def scorecard_compute(
    *,
    period: Period,
    scope: str,
    department: Department | None = None,
    owner=None,
    now: dt.datetime | None = None,
    force: bool = False,
) -> Scorecard:
    """Compute one scorecard and store it in place of that subject's snapshot of the period.

    A closed snapshot is returned as it is unless `force`.
    """
    _check_period(period)
    _check_subject(scope, department, owner)
    with transaction.atomic():
        ctx = Context(period=period, now=now or timezone.now(), settings=settings_for_update())
        if scope == OWNER:
            drafts = compute_drafts(
                ctx=ctx, company=False, department_ids=[], owner_where=Q(owner_id=owner.pk), owner_ids=[owner.pk]
            )
        else:
            department_ids = [department.pk] if department is not None else []
            drafts = compute_drafts(ctx=ctx, company=scope == COMPANY, department_ids=department_ids)
        written = snapshots_store(ctx=ctx, drafts=drafts, sweep=False, force=force)
        if written:
            return written[0]
        subject = {"department": department, "owner": owner}
        return Scorecard.objects.get(period_kind=period.kind, period_start=period.start, scope=scope, **subject)


def scorecards_compute_period(
    *, period: Period, department_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """The company, every department (or only these, plus the company), and every owner with
    tasks due in the period (in those departments); returns how many snapshots were written.
    Closed snapshots are kept as they are. A None among `department_ids` means the company."""
    return _compute_period(period=period, department_ids=department_ids, now=now, close=False)


def scorecards_compute_subjects(
    *, period: Period, company: bool, department_ids: Iterable[int], now: dt.datetime | None = None
) -> int:
    """These departments' scorecards of a period, and the company's if `company` (no owners), in
    one transaction, from one run of the grouped queries: their number of queries does not grow
    with the departments. Departments deleted since they were asked for are left out. Closed
    snapshots are kept as they are. Returns how many snapshots were written."""
    _check_period(period)
    with transaction.atomic():
        known = Department.objects.filter(pk__in=list(department_ids)).order_by("pk")
        wanted = list(known.values_list("pk", flat=True))
        if not company and not wanted:
            return 0
        ctx = Context(period=period, now=now or timezone.now(), settings=settings_for_update())
        drafts = compute_drafts(ctx=ctx, company=company, department_ids=wanted)
        return len(snapshots_store(ctx=ctx, drafts=drafts, sweep=False))


def scorecards_close_period(*, period: Period, now: dt.datetime | None = None) -> int:
    """Compute the period one last time and mark its snapshots closed; already closed ones stay."""
    return _compute_period(period=period, department_ids=None, now=now, close=True)


def _compute_period(
    *, period: Period, department_ids: Iterable[int] | None, now: dt.datetime | None, close: bool
) -> int:
    _check_period(period)
    # None among the ids stands for company-level data (as in scorecard_request_recompute): the
    # company is always computed, so it adds nothing.
    wanted = None if department_ids is None else sorted({pk for pk in department_ids if pk is not None})
    with transaction.atomic():
        known = list(Department.objects.order_by("pk").values_list("pk", flat=True))
        if wanted is not None:
            unknown = sorted(set(wanted) - set(known))
            if unknown:
                raise ScorecardError(UNKNOWN_DEPARTMENT.format(ids=", ".join(map(str, unknown))))
        ctx = Context(period=period, now=now or timezone.now(), settings=settings_for_update())
        owner_where = Q()
        if wanted is not None:
            due = Q(due_date__gte=period.start, due_date__lte=period.end, department_id__in=wanted)
            owner_where = Q(owner_id__in=_owners_with_tasks(due))
        drafts = compute_drafts(
            ctx=ctx, company=True, department_ids=known if wanted is None else wanted, owner_where=owner_where
        )
        return len(snapshots_store(ctx=ctx, drafts=drafts, sweep=wanted is None, close=close))


def _owners_with_tasks(due: Q):
    return Task.objects.filter(due).exclude(status=Task.Status.CANCELLED).values("owner_id")


def scorecard_settings_get() -> ScorecardSettings:
    """The settings row, or the defaults when CCO staff never saved one."""
    return ScorecardSettings.objects.order_by("pk").first() or ScorecardSettings()


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
            raise ScorecardError(UNKNOWN_DEPARTMENT.format(ids=department_id))
    if owner_id is not None:
        owner = get_user_model().objects.filter(pk=owner_id).first()
        if owner is None:
            raise ScorecardError(UNKNOWN_OWNER.format(id=owner_id))
    return scorecard_compute(period=period_from_text(period), scope=scope, department=department, owner=owner, now=now)


def scorecards_recompute_enqueue(*, scorecards: Iterable[Scorecard]) -> list[bool]:
    """Send one recompute message per snapshot when the transaction commits; what the broker took.

    The list is complete when called outside a transaction (an admin action); inside one it
    fills when the transaction commits. The task is sent by name (see `tasks.py`).
    """
    sent: list[bool] = []
    for card in scorecards:
        kwargs = {
            "period": card.period.label,
            "scope": card.scope,
            "department_id": card.department_id,
            "owner_id": card.owner_id,
        }
        transaction.on_commit(lambda kwargs=kwargs: sent.append(publish(RECOMPUTE_TASK, **kwargs)))
    return sent


def scorecards_recompute_period(*, period: Period, department_id: int | None = None) -> dict:
    """Recompute one period now: one department and the company (None: the company and every department).

    Returns what the API answers: the period's label and the departments recomputed (None: the company).
    """
    ids = [department_id] if department_id is not None else None
    scorecards_compute_period(period=period, department_ids=ids)
    if ids is None:
        ids = [None, *Department.objects.order_by("pk").values_list("pk", flat=True)]
    return {"period": period.label, "department_ids": ids}


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


BACKFILL_BACKWARDS = "The range runs backwards: {last} is before {first}."
BACKFILL_FUTURE = "{period} has not begun yet; scorecards are computed up to the current month and quarter."
NO_DATA = "There is no data yet: no task due, no reading and no customer movement."


def scorecards_backfill_plan(
    *, first: Period | None = None, last: Period | None = None, now: dt.datetime | None = None
) -> list[Period]:
    """Every month and quarter starting from `first`'s start to `last`'s end, oldest first.

    Without bounds: from the earliest task due date, reading or movement to the current month
    and quarter. Months come before the quarter that starts with them, so each period's change
    figure reads an up-to-date previous one. Raises ScorecardError on a range that runs
    backwards or reaches past the current periods; nothing is computed here.
    """
    for period in (first, last):
        if period is not None:
            _check_period(period)
    current = current_periods(now=now)
    latest_start = max(p.start for p in current)
    if first is not None and last is not None and last.end < first.start:
        raise ScorecardError(BACKFILL_BACKWARDS.format(first=first.label, last=last.label))
    for period in (first, last):
        if period is not None and period.start > latest_start:
            raise ScorecardError(BACKFILL_FUTURE.format(period=period.label))
    start = first.start if first is not None else _earliest_data_date(until=latest_start)
    if start is None:
        raise ScorecardError(NO_DATA)
    end = last.end if last is not None else max(p.end for p in current)
    periods = []
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
        period = Period.containing(start, kind)
        if first is not None and period.start < start:  # a quarter that begins before the range asked for
            period = period.next
        while period.start <= end and period.start <= latest_start:
            periods.append(period)
            period = period.next
    return sorted(periods, key=lambda p: (p.start, p.kind != PeriodKind.MONTH))


def _earliest_data_date(*, until: dt.date) -> dt.date | None:
    dates = [
        Task.objects.exclude(status=Task.Status.CANCELLED).aggregate(first=Min("due_date"))["first"],
        Reading.objects.aggregate(first=Min("date"))["first"],
        CustomerMovement.objects.aggregate(first=Min("date"))["first"],
    ]
    dates = [d for d in dates if d is not None and d <= until]
    return min(dates) if dates else None


def scorecards_backfill(
    *, periods: Iterable[Period], now: dt.datetime | None = None, progress: Callable[[Period], None] | None = None
) -> int:
    """Compute every scope of each period in turn (one transaction each); returns the snapshots written.

    Closed snapshots stay as they are. `progress` is called after each period.
    """
    written = 0
    for period in periods:
        written += scorecards_compute_period(period=period, now=now)
        if progress is not None:
            progress(period)
    return written


def scorecards_reopen_period(*, period: Period, now: dt.datetime | None = None) -> int:
    """Reopen a closed period (CCO staff's decision) and recompute it; returns the snapshots written.

    The period is not closed again by the monthly sweep: its closing run is on record.
    """
    _check_period(period)
    with transaction.atomic():
        Scorecard.objects.filter(period_kind=period.kind, period_start=period.start).update(closed=False)
        return scorecards_compute_period(period=period, now=now)
