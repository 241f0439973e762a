"""A message about one task, as the plain values its templates print.

Due-soon, overdue, stale, escalation and nudge messages say the same dozen things (who, which
task, its department, initiative, owner, due date and status). Delivery reads them as values
and renders from these objects instead of from six model instances per message. The
templates of these kinds read nothing else (a test holds them to it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.utils.encoding import force_str

from accountability.models import Message
from roadmap.models import Task

Kind = Message.Kind
# The kinds whose templates read only a `TaskMessage`'s values.
PLAIN_KINDS = frozenset({Kind.DUE_SOON, Kind.OVERDUE, Kind.STALE, Kind.ESCALATION, Kind.NUDGE})


@dataclass(frozen=True, slots=True)
class Named:
    """A department where a template prints `department.name` (frozen: a shape key may hold it)."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """What a message says about its task; `status` is the stored value, `status_display` its label."""

    pk: int
    title: str
    status: str
    status_display: str
    percent_complete: int
    due_date: dt.date
    department: Named
    initiative_title: str
    owner_name: str | None  # None: the task has no owner

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True, slots=True)
class TaskMessage:
    """One claimed message of a plain kind, with its recipient's name and its task."""

    pk: int
    kind: str
    for_date: dt.date
    name: str
    task: TaskFacts


def person_name(first_name: str, last_name: str, username: str) -> str:
    """`User.get_full_name() or username`, from the columns."""
    return f"{first_name} {last_name}".strip() or username


@cache
def _status_labels() -> dict[str, str]:
    return {value: force_str(label) for value, label in Task._meta.get_field("status").flatchoices}


def status_display(status: str) -> str:
    """`Task.get_status_display()` of a stored status."""
    return _status_labels().get(status, status)


def task_facts(task: Task) -> TaskFacts:
    """The same values from a task and its related rows (already loaded)."""
    owner = task.owner
    return TaskFacts(
        pk=task.pk,
        title=task.title,
        status=task.status,
        status_display=task.get_status_display(),
        percent_complete=task.percent_complete,
        due_date=task.due_date,
        department=Named(task.department.name),
        initiative_title=task.initiative.title,
        owner_name=person_name(owner.first_name, owner.last_name, owner.username) if owner else None,
    )
