"""The demo's fading task force: 40 pledged people came to the kick-off, six came back a month later.

Built through the roadmap services on the active roadmap. Every head and member of the
departments is pledged, up to 40; the default six departments of five people give 30, so ten
volunteers join the departments in turn to make up the 40 of the books' story. 6 of 40 is 15 %,
below half of the first month's 100 %, so the initiative's participation page shows it faded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from demo.people import People, volunteers_ensure
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
    if len(pledged) < MOST:
        for department, person in volunteers_ensure(people=people, count=MOST - len(pledged)):
            pledge_create(initiative=initiative, department=department, person=person, hours_per_month=Decimal(8))
            pledged.append(person)
    kick_off = min(start + dt.timedelta(days=2), today)
    meeting_create(initiative=initiative, date=kick_off, title="Kick-off", attendees=pledged)
    follow_up = _month_start(today, 1) + dt.timedelta(days=2)
    if start < _month_start(today, 1) and follow_up <= today:
        meeting_create(initiative=initiative, date=follow_up, title="Monthly review", attendees=pledged[:CAME_BACK])
    return len(pledged)
