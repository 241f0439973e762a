"""What the home page shows a person: their work, and for a head their departments' work.

"Mine" is the tasks the person owns plus, for a head, the tasks of the departments they head.
Every section is one query, whatever the number of tasks, hand-offs or messages: the page's
query count is pinned at two data sizes in tests/review/test_home.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Max, Q
from django.utils import timezone

from accountability.models import Message, Recognition
from org.selectors import UserLike, user_headed_department_ids
from roadmap.models import Slip, Task
from roadmap.selectors import slip_list_awaiting, task_visible_to

OPEN = (Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)
CHECK_IN_EVERY_DAYS = 7  # "check-ins I owe": in progress, no check-in (nor start) for a week
SHOWN = 50  # rows per list; the lists link on to the whole filtered task list
ESCALATION_DAYS = 30  # escalations of the last month
RECOGNITIONS = 10


@dataclass(frozen=True)
class HandOff:
    """One dependency across departments: `waiting` waits on `awaited` (the giver's task)."""

    waiting: Task
    awaited: Task
    waiting_visible: bool = True  # may the reader open the task? (links a role may not follow are not shown)
    awaited_visible: bool = True

    @property
    def late(self) -> bool:
        return self.awaited.status in OPEN and self.awaited.due_date < timezone.localdate()


@dataclass
class Home:
    today: dt.date
    headed: frozenset[int]
    overdue: list[Task] = field(default_factory=list)
    this_week: list[Task] = field(default_factory=list)
    later: list[Task] = field(default_factory=list)
    check_ins_owed: list[Task] = field(default_factory=list)
    i_block: list[HandOff] = field(default_factory=list)
    i_wait_on: list[HandOff] = field(default_factory=list)
    escalations: list[Message] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)
    slips_to_decide: list[Slip] = field(default_factory=list)

    @property
    def is_head(self) -> bool:
        return bool(self.headed)


def _mine(user: UserLike, headed: frozenset[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}department_id__in": sorted(headed)})


def _tasks(home: Home, user: UserLike) -> None:
    rows = (
        Task.objects.filter(_mine(user, home.headed), status__in=OPEN)
        .select_related("department", "owner", "initiative")
        .annotate(last_check_in=Max("check_ins__date"))
        .order_by("due_date", "id")
    )
    week_end = home.today + dt.timedelta(days=7)
    quiet_since = home.today - dt.timedelta(days=CHECK_IN_EVERY_DAYS)
    for task in rows:
        if task.due_date < home.today:
            home.overdue.append(task)
        elif task.due_date <= week_end:
            home.this_week.append(task)
        else:
            home.later.append(task)
        started = timezone.localdate(task.status_changed_at or task.created_at)
        last = task.last_check_in or started
        if task.status == Task.Status.IN_PROGRESS and last <= quiet_since:
            home.check_ins_owed.append(task)
    home.later = home.later[:SHOWN]


def _hand_offs(user: UserLike, headed: frozenset[int], *, mine: str) -> list[HandOff]:
    """Open hand-offs where `mine` ("to_task": I am awaited, "from_task": I wait) is one of my tasks."""
    related = [f"{side}__{part}" for side in ("from_task", "to_task") for part in ("department", "owner")]
    rows = (
        Task.depends_on.through.objects.filter(_mine(user, headed, prefix=f"{mine}__"))
        .filter(from_task__status__in=OPEN, to_task__status__in=OPEN)
        .exclude(from_task__department_id=F("to_task__department_id"))
        .select_related("from_task", "to_task", *related)
        .order_by("to_task__due_date", "id")[:SHOWN]
    )
    return [
        HandOff(
            waiting=row.from_task,
            awaited=row.to_task,
            waiting_visible=task_visible_to(task=row.from_task, user=user),
            awaited_visible=task_visible_to(task=row.to_task, user=user),
        )
        for row in rows
    ]


def home_get(*, user: UserLike) -> Home:
    """Everything on a person's home page, in a fixed number of queries."""
    headed = user_headed_department_ids(user=user)
    home = Home(today=timezone.localdate(), headed=headed)
    _tasks(home, user)
    home.i_block = _hand_offs(user, headed, mine="to_task")
    home.i_wait_on = _hand_offs(user, headed, mine="from_task")
    since = home.today - dt.timedelta(days=ESCALATION_DAYS)
    home.escalations = list(
        Message.objects.filter(_mine(user, headed, prefix="task__"), for_date__gte=since)
        .filter(kind__in=[Message.Kind.ESCALATION, Message.Kind.HANDOFF_ESCALATION])
        .select_related("task", "task__department", "recipient")
        .order_by("-for_date", "-id")[:SHOWN]
    )
    home.recognitions = list(
        Recognition.objects.filter(recipient=user)
        .select_related("giver", "task", "initiative", "metric")
        .order_by("-created_at")[:RECOGNITIONS]
    )
    if headed:
        home.slips_to_decide = list(slip_list_awaiting(user=user).order_by("moved_at", "id")[:SHOWN])
    return home
