"""Participation over a period for many pledges at once: the department scorecard's line, an owner's report.

A **pledge-month** is one pledged person in one month of their initiative that falls in the period
(from the initiative's start to its end, or to today). The person took part that month as
`roadmap/participation.py` says: a check-in on one of the initiative's tasks, an edit of one of
its tasks kept in its history, or a meeting of it attended. Participation over a period = the
pledge-months taken part in / the pledge-months; for one initiative and one month that is the
participation of docs/domain.md. Pledges to cancelled (and so pooled) initiatives count nowhere,
as their budget lines do.

Four queries whatever the number of pledges, people, initiatives or months: the people and
initiatives are subqueries, so even an empty selection runs the same queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from core.periods import org_zone
from roadmap.models import CheckIn, Initiative, Meeting, Pledge, Task


@dataclass(frozen=True)
class PledgeMonths:
    """One pledge in a period: the months it counts in and those its person took part in."""

    pledge: Pledge
    months: tuple[dt.date, ...]
    took_part: frozenset[dt.date]


@dataclass
class ParticipationCount:
    """Pledge-months and those taken part in, added up over pledges (a department's, a person's)."""

    pledge_months: int = 0
    took_part: int = 0
    pledges: int = 0

    def add(self, item: PledgeMonths) -> None:
        self.pledges += 1
        self.pledge_months += len(item.months)
        self.took_part += len(item.took_part)

    @property
    def rate(self) -> Decimal | None:
        return None if not self.pledge_months else Decimal(self.took_part) / Decimal(self.pledge_months)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    months, month = [], _month(start)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return tuple(months)


def pledge_months(*, where: Q, start: dt.date, end: dt.date, today: dt.date) -> list[PledgeMonths]:
    """The pledges matching `where` whose initiative runs in [start, end] up to today, month by month."""
    last = min(end, today)
    selected = (
        Pledge.objects.filter(where, initiative__start_date__lte=last, initiative__end_date__gte=start)
        .exclude(initiative__status=Initiative.Status.CANCELLED)
        .order_by("initiative_id", "person_id")
    )
    pledges = list(selected.select_related("initiative", "department", "person"))
    people, initiatives = selected.values("person_id"), selected.values("initiative_id")
    seen: set[tuple[int, int, dt.date]] = set()
    check_ins = CheckIn.objects.filter(
        task__initiative_id__in=initiatives, author_id__in=people, date__gte=start, date__lte=last
    )
    for person_id, initiative_id, day in check_ins.values_list("author_id", "task__initiative_id", "date"):
        seen.add((person_id, initiative_id, _month(day)))
    zone = org_zone()
    since = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    edits = Task.history.filter(
        initiative_id__in=initiatives, history_user_id__in=people, history_date__gte=since, history_date__lt=until
    )
    for person_id, initiative_id, moment in edits.values_list("history_user_id", "initiative_id", "history_date"):
        seen.add((person_id, initiative_id, _month(moment.astimezone(zone).date())))
    attended = Meeting.attendees.through.objects.filter(
        meeting__initiative_id__in=initiatives, user_id__in=people, meeting__date__gte=start, meeting__date__lte=last
    )
    for person_id, initiative_id, day in attended.values_list("user_id", "meeting__initiative_id", "meeting__date"):
        seen.add((person_id, initiative_id, _month(day)))
    result = []
    for pledge in pledges:
        initiative = pledge.initiative
        months = _months(max(start, initiative.start_date), min(last, initiative.end_date))
        took_part = frozenset(m for m in months if (pledge.person_id, pledge.initiative_id, m) in seen)
        result.append(PledgeMonths(pledge=pledge, months=months, took_part=took_part))
    return result


def participation_by(*, where: Q, start: dt.date, end: dt.date, today: dt.date, key: str) -> dict:
    """ParticipationCount per `key` of the pledge ("department_id", "person_id")."""
    counts: dict = {}
    for item in pledge_months(where=where, start=start, end=end, today=today):
        counts.setdefault(getattr(item.pledge, key), ParticipationCount()).add(item)
    return counts
