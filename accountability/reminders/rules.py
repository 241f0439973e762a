"""Which messages are due now, each on its recipient's own date, found with a fixed number of queries.

Each rule is one query for candidate rows over the widest window of local dates in play
(at most three: the zones in use straddle at most three dates); the exact check happens
per recipient, in Python, against that recipient's local date. The number of queries
does not depend on the number of tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F, Max, Q

from accountability.models import Message, ReminderSettings
from accountability.reminders.zones import Zones
from org.models import Department
from org.roles import CCO_STAFF
from roadmap.models import Slip, Task

Kind = Message.Kind
OPEN = ~Q(status__in=[Task.Status.DONE, Task.Status.CANCELLED])
TASK_FIELDS = (
    "id",
    "due_date",
    "status",
    "status_changed_at",
    "created_at",
    "owner_id",
    "department_id",
    "owner_active",
    "head_id",
    "head_active",
)


@dataclass(frozen=True)
class Due:
    """One message that should exist: what, about which subject, to whom, for which local date."""

    kind: str
    recipient_id: int
    for_date: dt.date
    task_id: int | None = None
    department_id: int | None = None
    key: str = ""  # the subject of a message about neither a task nor a department ("decision:<id>")
    initiative_id: int | None = None  # a fade alert: the message has no task or department of its own

    @property
    def subject_key(self) -> str:
        if self.key:
            return self.key
        if self.initiative_id:
            return f"initiative:{self.initiative_id}"
        if self.task_id:
            return f"task:{self.task_id}"
        if self.department_id:
            return f"department:{self.department_id}"
        return "company"


def reminder_settings_get() -> ReminderSettings:
    """The saved settings row, or the defaults when CCO staff have not saved one."""
    return ReminderSettings.objects.order_by("pk").first() or ReminderSettings()


def _tasks(*filters: Q, **extra):
    return (
        Task.objects.filter(OPEN, *filters)
        .annotate(
            owner_active=F("owner__is_active"),
            head_id=F("department__head_id"),
            head_active=F("department__head__is_active"),
            **extra,
        )
        .order_by()
        .values(*TASK_FIELDS, *extra)
    )


def _owner_recipient(row: dict) -> int | None:
    """The owner; a task without an (active) owner goes to its department's head; else nobody."""
    if row["owner_id"] and row["owner_active"]:
        return row["owner_id"]
    if row["head_id"] and row["head_active"]:
        return row["head_id"]
    return None


def _on_cadence(days: int, *, first: int, daily_until: int, repeat: int) -> bool:
    """True on days first..daily_until, then every `repeat` days after daily_until."""
    if days < first:
        return False
    return days <= daily_until or (days - daily_until) % repeat == 0


def due_soon(*, zones: Zones, rules: ReminderSettings) -> Iterator[Due]:
    dates = zones.dates_in_play()
    window = {day + dt.timedelta(days=n) for day in dates for n in rules.due_soon_list}
    for row in _tasks(Q(due_date__in=window)):
        recipient = _owner_recipient(row)
        if recipient and (row["due_date"] - zones.today(recipient)).days in rules.due_soon_list:
            yield Due(Kind.DUE_SOON, recipient, zones.today(recipient), task_id=row["id"])


def overdue(*, zones: Zones, rules: ReminderSettings) -> Iterator[Due]:
    for row in _tasks(Q(due_date__lt=max(zones.dates_in_play()))):
        recipient = _owner_recipient(row)
        if not recipient:
            continue
        today = zones.today(recipient)
        late = (today - row["due_date"]).days
        if _on_cadence(late, first=1, daily_until=rules.overdue_daily_days, repeat=rules.overdue_repeat_days):
            yield Due(Kind.OVERDUE, recipient, today, task_id=row["id"])


def stale(*, zones: Zones, rules: ReminderSettings) -> Iterator[Due]:
    """In progress with no check-in for `stale_days`: on that day, then every `overdue_repeat_days`."""
    cut = max(zones.dates_in_play()) - dt.timedelta(days=rules.stale_days)
    rows = _tasks(Q(status=Task.Status.IN_PROGRESS), last_check_in=Max("check_ins__date")).filter(
        Q(last_check_in__isnull=True) | Q(last_check_in__lte=cut)
    )
    for row in rows:
        recipient = _owner_recipient(row)
        if not recipient:
            continue
        today = zones.today(recipient)
        since = row["last_check_in"] or zones.local_date(recipient, row["status_changed_at"] or row["created_at"])
        quiet = (today - since).days
        if _on_cadence(quiet, first=rules.stale_days, daily_until=rules.stale_days, repeat=rules.overdue_repeat_days):
            yield Due(Kind.STALE, recipient, today, task_id=row["id"])


def _escalation_cadence(days: int, rules: ReminderSettings) -> bool:
    first = rules.escalation_days + 1  # "more than N days"
    return _on_cadence(days, first=first, daily_until=first, repeat=rules.overdue_repeat_days)


def _handoff_heads(task_ids: list[int]) -> dict[int, set[int]]:
    """Blocked task id → active heads of the other departments whose open tasks it waits on."""
    through = Task.depends_on.through
    rows = (
        through.objects.filter(from_task_id__in=task_ids, to_task__department__head__is_active=True)
        .exclude(to_task__department_id=F("from_task__department_id"))
        .exclude(to_task__status__in=[Task.Status.DONE, Task.Status.CANCELLED])
        .values_list("from_task_id", "to_task__department__head_id")
    )
    heads: dict[int, set[int]] = {}
    for task_id, head_id in rows:
        heads.setdefault(task_id, set()).add(head_id)
    return heads


def escalations(*, zones: Zones, rules: ReminderSettings) -> Iterator[Due]:
    """Overdue or blocked more than `escalation_days`: to the head; a blocked hand-off: to both heads."""
    latest = max(zones.dates_in_play())
    cut = latest - dt.timedelta(days=rules.escalation_days)
    rows = list(_tasks(Q(due_date__lt=cut) | Q(status=Task.Status.BLOCKED)))
    handoffs = _handoff_heads([r["id"] for r in rows if r["status"] == Task.Status.BLOCKED])
    for row in rows:
        head = row["head_id"] if row["head_active"] else None
        if head and _escalation_cadence((zones.today(head) - row["due_date"]).days, rules):
            yield Due(Kind.ESCALATION, head, zones.today(head), task_id=row["id"])
        if row["status"] != Task.Status.BLOCKED:
            continue
        others = handoffs.get(row["id"], set())
        kind = Kind.HANDOFF_ESCALATION if others else Kind.ESCALATION
        for recipient in ({head} | others) - {None}:
            blocked_since = zones.local_date(recipient, row["status_changed_at"] or row["created_at"])
            if _escalation_cadence((zones.today(recipient) - blocked_since).days, rules):
                yield Due(kind, recipient, zones.today(recipient), task_id=row["id"])


def slips_waiting(*, zones: Zones, rules: ReminderSettings) -> Iterator[Due]:
    """A slip waiting for the head: the head is told on the day it was asked (in the head's date)."""
    earliest = min(zones.dates_in_play()) - dt.timedelta(days=1)
    rows = (
        Slip.objects.filter(status=Slip.Status.PENDING, moved_at__date__gte=earliest)
        .filter(task__department__head__is_active=True)
        .values_list("task_id", "task__department__head_id", "moved_at")
    )
    for task_id, head_id, moved_at in rows:
        if zones.local_date(head_id, moved_at) == zones.today(head_id):
            yield Due(Kind.SLIP_APPROVAL, head_id, zones.today(head_id), task_id=task_id)


def task_messages_due(*, zones: Zones, rules: ReminderSettings) -> set[Due]:
    """Every due-soon, overdue, stale, escalation and slip message due now (a set: duplicates collapse)."""
    found: set[Due] = set()
    for rule in (due_soon, overdue, stale, escalations, slips_waiting):
        found.update(rule(zones=zones, rules=rules))
    return found


def _digest_time(zones: Zones, user_id: int, rules: ReminderSettings) -> bool:
    local = zones.local_now(user_id)
    return local.weekday() == rules.digest_weekday and local.hour >= rules.digest_hour


def digest_messages_due(*, zones: Zones, rules: ReminderSettings) -> set[Due]:
    """Weekly digests to active heads and CCO staff who have not opted out, on their weekday and hour."""
    found: set[Due] = set()
    heads = (
        Department.objects.filter(head__is_active=True)
        .exclude(head__profile__receive_digests=False)
        .values_list("id", "head_id")
    )
    for department_id, head_id in heads:
        if _digest_time(zones, head_id, rules):
            found.add(Due(Kind.HEAD_DIGEST, head_id, zones.today(head_id), department_id=department_id))
    staff = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=CCO_STAFF)
        .exclude(profile__receive_digests=False)
        .values_list("id", flat=True)
        .distinct()
    )
    for user_id in staff:
        if _digest_time(zones, user_id, rules):
            found.add(Due(Kind.CCO_DIGEST, user_id, zones.today(user_id)))
    return found
