"""Participation of an initiative's task force per month, and when it fades (docs/domain.md).

A pledged person takes part in a month when they checked in on one of the initiative's tasks,
changed one of its tasks (any edit kept in the task's history: a status change, a new due date,
progress), or were recorded present at one of its meetings. Participation = those people /
pledged people. A task force fades in a month when its participation falls below half of its
first month's. Five queries, whatever the number of people, tasks or months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from core.periods import org_zone
from roadmap.models import CheckIn, Initiative, Meeting, Pledge, Task


@dataclass(frozen=True)
class Month:
    start: dt.date
    pledged: int
    present: frozenset[int]  # ids of pledged people who took part
    rate: Decimal | None  # 0..1, none when nobody is pledged
    faded: bool

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"


@dataclass(frozen=True)
class Participation:
    initiative: Initiative
    pledges: list[Pledge]
    months: list[Month]

    @property
    def first(self) -> Month | None:
        return self.months[0] if self.months else None

    def stopped(self, month: Month) -> list[Pledge]:
        """The pledged people who took part in the first month and not in this one."""
        first = self.first
        return [p for p in self.pledges if first and p.person_id in first.present and p.person_id not in month.present]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], _month(start)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def initiative_participation(*, initiative: Initiative, today: dt.date | None = None) -> Participation:
    """Month by month from the initiative's start to today (or its end, if earlier)."""
    today = today or timezone.localdate()
    pledges = list(Pledge.objects.filter(initiative=initiative).select_related("person", "department"))
    people = {p.person_id for p in pledges}
    months = _months(initiative.start_date, min(initiative.end_date, today))
    if not months:
        return Participation(initiative, pledges, [])
    first_day, zone = months[0], org_zone()
    present: dict[dt.date, set[int]] = {m: set() for m in months}

    def mark(person_id: int | None, day: dt.date) -> None:
        if person_id in people and _month(day) in present:
            present[_month(day)].add(person_id)

    check_ins = CheckIn.objects.filter(task__initiative=initiative, author_id__in=people, date__gte=first_day)
    for person_id, day in check_ins.values_list("author_id", "date"):
        mark(person_id, day)
    since = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    edits = Task.history.filter(initiative_id=initiative.pk, history_user_id__in=people, history_date__gte=since)
    for person_id, moment in edits.values_list("history_user_id", "history_date"):
        mark(person_id, moment.astimezone(zone).date())
    attended = Meeting.attendees.through.objects.filter(meeting__initiative=initiative, user_id__in=people)
    for person_id, day in attended.values_list("user_id", "meeting__date"):
        mark(person_id, day)
    return Participation(initiative, pledges, _rates(months, present, len(people)))


def _rates(months: list[dt.date], present: dict[dt.date, set[int]], pledged: int) -> list[Month]:
    result: list[Month] = []
    first_rate: Decimal | None = None
    for month in months:
        rate = (Decimal(len(present[month])) / pledged).quantize(Decimal("0.0001"), ROUND_HALF_UP) if pledged else None
        first_rate = rate if first_rate is None else first_rate
        faded = rate is not None and first_rate is not None and rate < first_rate / 2
        result.append(Month(month, pledged, frozenset(present[month]), rate, faded))
    return result
