"""The demo's fading task force: everyone pledged came to the kick-off, six came back a month later.

Built through the roadmap services on the active roadmap. With the default six departments of
five people that is 30 pledged people (40 from eight departments on); 6 of 30 is 20 %, below
half of the first month's 100 %, so the initiative's participation page shows it faded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from demo.people import People
from roadmap.models import Roadmap
from roadmap.services import initiative_create
from roadmap.task_force import meeting_create, pledge_create

TITLE = "Win back lapsed customers"
MOST = 40
CAME_BACK = 6


def _month_start(day: dt.date, back: int) -> dt.date:
    for _ in range(back):
        day = day.replace(day=1) - dt.timedelta(days=1)
    return day.replace(day=1)


def task_force_build(*, today: dt.date, people: People) -> int:
    """The initiative, its pledges and two meetings; returns how many people were pledged."""
    roadmap = Roadmap.objects.filter(status=Roadmap.Status.ACTIVE).first()
    if roadmap is None:
        return 0
    start = max(roadmap.period_start, _month_start(today, 2))
    initiative = initiative_create(
        roadmap=roadmap,
        title=TITLE,
        outcome="Half of last year's lapsed customers back, with a task force from every department.",
        owner=people.cco,
        start_date=start,
        end_date=roadmap.period_end,
        status="active",
    )
    pledged = []
    for department in people.departments:
        for person in [department.head, *people.members.get(department.pk, [])]:
            if len(pledged) < MOST and person is not None and person not in pledged:
                pledge_create(initiative=initiative, department=department, person=person, hours_per_month=Decimal(8))
                pledged.append(person)
    kick_off = min(start + dt.timedelta(days=2), today)
    meeting_create(initiative=initiative, date=kick_off, title="Kick-off", attendees=pledged)
    follow_up = _month_start(today, 1) + dt.timedelta(days=2)
    if start < _month_start(today, 1) and follow_up <= today:
        meeting_create(initiative=initiative, date=follow_up, title="Monthly review", attendees=pledged[:CAME_BACK])
    return len(pledged)
