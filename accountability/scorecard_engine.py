"""STUB of the scorecard engine (the real one is built on another branch and replaces this file).

It has the real engine's interface and only writes one snapshot row per period and scope,
so that the Celery plumbing can be tested; its figures mean nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accountability.models import Scorecard
from accountability.periods import Period
from roadmap.models import Department, Task


class ScorecardError(ValueError):
    """A recompute asked for something that does not exist (department, owner, scope)."""


@transaction.atomic
def scorecard_compute(
    *, period: Period, scope: str, department=None, owner=None, now: dt.datetime | None = None, force: bool = False
) -> Scorecard:
    now = now or timezone.now()
    if scope not in Scorecard.Scope.values:
        raise ScorecardError(f"Unknown scope {scope!r}.")
    subject = {"department": department if scope == "department" else None}
    subject["owner"] = owner if scope == "owner" else None
    if (scope == "department" and department is None) or (scope == "owner" and owner is None):
        raise ScorecardError(f"A {scope} scorecard needs its {scope}.")
    existing = (
        Scorecard.objects.select_for_update()
        .order_by("pk")
        .filter(period_kind=period.kind, period_start=period.start, scope=scope, **subject)
        .first()
    )
    if existing is not None and existing.closed and not force:
        return existing
    scorecard, _ = Scorecard.objects.update_or_create(
        period_kind=period.kind, period_start=period.start, scope=scope, **subject, defaults={"computed_at": now}
    )
    return scorecard


def scorecards_compute_period(*, period: Period, department_ids=None, now: dt.datetime | None = None) -> int:
    departments = Department.objects.all()
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
        if departments.count() != len(set(department_ids)):
            raise ScorecardError("Unknown department.")
    count = 1
    scorecard_compute(period=period, scope="company", now=now)
    for department in departments:
        scorecard_compute(period=period, scope="department", department=department, now=now)
        count += 1
    owners = get_user_model().objects.filter(pk__in=Task.objects.values("owner_id"))
    for owner in owners:
        scorecard_compute(period=period, scope="owner", owner=owner, now=now)
        count += 1
    return count


def scorecards_close_period(*, period: Period, now: dt.datetime | None = None) -> int:
    return Scorecard.objects.filter(period_kind=period.kind, period_start=period.start, closed=False).update(
        closed=True
    )
