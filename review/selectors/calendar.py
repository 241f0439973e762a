"""What a person's calendar feed holds: their tasks' due dates (a head's: their departments'
too), the task-force meetings of the initiatives they are pledged to or attended, and the
approvals waiting for them (slips for a head, proposals for CCO staff).

Each kind is one query, whatever the number of items: the feed's query count is pinned at two
data sizes in tests/review/test_calendar_feed.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from org.models import Profile
from org.selectors import UserLike, user_headed_department_ids
from roadmap.models import InitiativeDecision, Meeting, Task
from roadmap.selectors import proposals_waiting, slip_list_awaiting

PAST_DAYS = 90  # due dates and meetings further back than this are left out: the feed stays small
APPROVAL_MINUTES = 30  # how long a waiting approval's event lasts in the calendar


@dataclass(frozen=True)
class Entry:
    """One calendar event: all day on `day`, or at `start` (in the reader's zone) for `minutes`."""

    key: str  # stable per item: the event's UID is built from it
    summary: str
    description: str
    path: str
    modified: dt.datetime
    day: dt.date | None = None
    start: dt.datetime | None = None
    minutes: int = 0


def user_zone(*, user: UserLike) -> ZoneInfo:
    """The person's time zone (their profile's), or the organisation's."""
    name = Profile.objects.filter(user_id=user.pk).values_list("time_zone", flat=True).first() or ""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)  # a bad name saved around full_clean(): the org's zone


def _task_entries(user: UserLike, headed: frozenset[int], since: dt.date) -> list[Entry]:
    mine = Q(owner=user) | Q(department_id__in=sorted(headed))
    rows = (
        Task.objects.filter(mine, due_date__gte=since)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("department", "owner", "initiative")
        .order_by("due_date", "id")
    )
    entries = []
    for task in rows:
        done = "Done: " if task.status == Task.Status.DONE else "Due: "
        owner = (task.owner.get_full_name() or task.owner.get_username()) if task.owner else "nobody"
        entries.append(
            Entry(
                key=f"task-{task.pk}",
                summary=f"{done}{task.title}",
                description=(
                    f"{task.department} · owner {owner} · {task.get_status_display()}\n"
                    f"Initiative: {task.initiative.title}"
                ),
                path=reverse("admin:roadmap_task_change", args=[task.pk]),
                modified=task.updated_at,
                day=task.due_date,
            )
        )
    return entries


def _meeting_entries(user: UserLike, since: dt.date) -> list[Entry]:
    pledged = Q(initiative__pledges__person=user) | Q(attendees=user)
    ids = Meeting.objects.filter(pledged, date__gte=since).values("pk")
    rows = Meeting.objects.filter(pk__in=ids).select_related("initiative").order_by("date", "id")
    return [
        Entry(
            key=f"meeting-{meeting.pk}",
            summary=f"{meeting.title or 'Task-force meeting'}: {meeting.initiative.title}",
            description=f"Task-force meeting of {meeting.initiative.title}",
            path=reverse("admin:roadmap_meeting_change", args=[meeting.pk]),
            modified=meeting.created_at,
            day=meeting.date,
        )
        for meeting in rows
    ]


def _approval_entries(user: UserLike, headed: frozenset[int], zone: ZoneInfo) -> list[Entry]:
    entries = []
    slips = slip_list_awaiting(user=user).order_by("moved_at", "id") if headed else []
    for slip in slips:
        entries.append(
            Entry(
                key=f"slip-{slip.pk}",
                summary=f"Decide: move {slip.task.title} to {slip.to_date:%d %b %Y}",
                description=f"{slip.moved_by or 'Someone'} asks to move it by {slip.days} days: {slip.reason}",
                path=reverse("admin:index"),
                modified=slip.moved_at,
                start=slip.moved_at.astimezone(zone),
                minutes=APPROVAL_MINUTES,
            )
        )
    proposed = InitiativeDecision.objects.filter(
        initiative=OuterRef("pk"), action=InitiativeDecision.Action.PROPOSED
    ).order_by("-at", "-id")
    rows = proposals_waiting(user).annotate(
        proposed_at=Subquery(proposed.values("at")[:1]), proposal_id=Subquery(proposed.values("pk")[:1])
    )
    for initiative in rows:
        at = initiative.proposed_at or initiative.updated_at
        entries.append(
            Entry(
                # Each proposing is its own approval: proposed again after a send-back, a new event.
                key=f"proposal-{initiative.proposal_id}" if initiative.proposal_id else f"initiative-{initiative.pk}",
                summary=f"Decide: proposal {initiative.title}",
                description=f"Proposed initiative waiting for CCO staff: {initiative.title}",
                path=reverse("admin:roadmap_initiative_change", args=[initiative.pk]),
                modified=at,
                start=at.astimezone(zone),
                minutes=APPROVAL_MINUTES,
            )
        )
    return entries


def calendar_entries(*, user: UserLike, zone: ZoneInfo) -> list[Entry]:
    """Everything in this person's feed, in a fixed number of queries."""
    headed = user_headed_department_ids(user=user)
    since = timezone.localdate(timezone=zone) - dt.timedelta(days=PAST_DAYS)
    return [
        *_task_entries(user, headed, since),
        *_meeting_entries(user, since),
        *_approval_entries(user, headed, zone),
    ]
