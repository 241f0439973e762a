"""A delivery batch's one read of its claimed messages, as values rather than model instances.

Building six model instances per message (the message, its recipient, task, the task's
department, initiative and owner) was a third of a batch's time. The read takes the same
columns as one `values_list`; a message of a plain kind (`task_message.PLAIN_KINDS`) becomes a
`TaskMessage` of plain values, and only the other kinds (digests, hand-offs, slips,
decisions…) are built into model instances from the same row, so that their render reads
what it always read and a batch's queries do not change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import models

from accountability.models import Message
from accountability.reminders.task_message import (
    PLAIN_KINDS,
    Named,
    TaskFacts,
    TaskMessage,
    person_name,
    status_display,
)
from org.models import Department
from roadmap.models import Initiative, Task

# Columns no message reads (passwords, long texts, bookkeeping dates). Reading one later
# would cost a query (the tests count them).
UNREAD = {
    "": {"read_at", "enqueued_at", "created_at"},
    "recipient": {"password", "last_login", "date_joined"},
    "task__owner": {"password", "last_login", "date_joined"},
    "task": {"description", "created_at", "updated_at", "completed_at", "status_changed_at"},
    "task__initiative": {"outcome", "proposal", "created_at", "updated_at"},
}


@dataclass(slots=True)
class Claimed:
    """A message this batch holds (or another worker does): what delivery decides on, and what renders it."""

    pk: int
    attempts: int
    last_error: str
    claim_token: uuid.UUID | None
    claimed_at: dt.datetime | None
    email: str
    is_active: bool
    content: TaskMessage | Message  # a plain kind's values, or the model instance with its relations


@cache
def _relations() -> dict[str, type[models.Model]]:
    """Each related row the read joins, by its path from the message (the message itself is "")."""
    User = get_user_model()
    return {
        "": Message,
        "recipient": User,
        "task": Task,
        "task__department": Department,
        "task__initiative": Initiative,
        "task__owner": User,
        "department": Department,
    }


@cache
def _columns() -> list[tuple[str, type[models.Model], list[str]]]:
    """(path, model, attnames read) in `values_list` order."""
    columns = []
    for path, model in _relations().items():
        attnames = [f.attname for f in model._meta.concrete_fields]
        if unknown := UNREAD.get(path, set()) - set(attnames):  # a renamed column would be read again unnoticed
            raise LookupError(f"{model.__name__} has no column {unknown}")
        columns.append((path, model, [name for name in attnames if name not in UNREAD.get(path, ())]))
    return columns


@cache
def _lookups() -> list[str]:
    return [f"{path}__{name}" if path else name for path, _model, names in _columns() for name in names]


def claimed_read(*, message_ids: list[int]) -> list[Claimed]:
    """The batch's messages still in `sending` (by this batch or another worker), in id order: one query."""
    rows = (
        Message.objects.filter(pk__in=message_ids, status=Message.Status.SENDING)
        .order_by("pk")
        .values_list(*_lookups())
    )
    return [_claimed(row, rows.db) for row in rows]


def _claimed(row: tuple, db: str) -> Claimed:
    parts, start = {}, 0
    for path, _model, names in _columns():
        parts[path] = dict(zip(names, row[start : start + len(names)], strict=True))
        start += len(names)
    message, recipient = parts[""], parts["recipient"]
    plain = message["kind"] in PLAIN_KINDS and message["task_id"] is not None
    return Claimed(
        pk=message["id"],
        attempts=message["attempts"],
        last_error=message["last_error"],
        claim_token=message["claim_token"],
        claimed_at=message["claimed_at"],
        email=recipient["email"],
        is_active=recipient["is_active"],
        content=_task_message(parts) if plain else _instances(parts, db),
    )


def _task_message(parts: dict[str, dict]) -> TaskMessage:
    message, recipient, task, owner = parts[""], parts["recipient"], parts["task"], parts["task__owner"]
    return TaskMessage(
        pk=message["id"],
        kind=message["kind"],
        for_date=message["for_date"],
        name=person_name(recipient["first_name"], recipient["last_name"], recipient["username"]),
        task=TaskFacts(
            pk=task["id"],
            title=task["title"],
            status=task["status"],
            status_display=status_display(task["status"]),
            percent_complete=task["percent_complete"],
            due_date=task["due_date"],
            department=Named(parts["task__department"]["name"]),
            initiative_title=parts["task__initiative"]["title"],
            owner_name=None
            if owner["id"] is None
            else person_name(owner["first_name"], owner["last_name"], owner["username"]),
        ),
    )


def _instances(parts: dict[str, dict], db: str) -> Message:
    """The message and its related rows as model instances, related as `select_related` relates them."""
    built = {
        path: _instance(model, parts[path], db) for path, model in _relations().items() if parts[path]["id"] is not None
    }
    message = built[""]
    message.recipient = built["recipient"]
    message.department = built.get("department")
    if task := built.get("task"):
        task.department, task.initiative, task.owner = (
            built["task__department"],
            built["task__initiative"],
            built.get("task__owner"),
        )
        message.task = task
    else:
        message.task = None
    return message


def _instance(model: type[models.Model], values: dict, db: str) -> models.Model:
    # from_db marks the columns not read as deferred, as `.defer()` did.
    return model.from_db(db, list(values), list(values.values()))
