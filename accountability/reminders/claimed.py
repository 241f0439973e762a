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
def _sending() -> models.QuerySet:
    """Every message in `sending` with the columns read, built once per process.

    Resolving 62 columns through 6 joins cost about a tenth of a batch; each batch filters a
    copy (a queryset is never changed in place, so this one is never run).
    """
    lookups = [f"{path}__{name}" if path else name for path, _model, names in _columns() for name in names]
    return Message.objects.filter(status=Message.Status.SENDING).order_by("pk").values_list(*lookups)


def claimed_read(*, message_ids: list[int]) -> list[Claimed]:
    """The batch's messages still in `sending` (by this batch or another worker), in id order: one query."""
    rows = _sending().filter(pk__in=message_ids)
    return [_claimed(row, rows.db) for row in rows]


@cache
def _at() -> dict[str, int]:
    """Each column's position in a row, by lookup ("kind", "task__title"…)."""
    return {lookup: i for i, lookup in enumerate(_sending().query.values_select)}


def _claimed(row: tuple, db: str) -> Claimed:
    at = _at()
    plain = row[at["kind"]] in PLAIN_KINDS and row[at["task_id"]] is not None
    return Claimed(
        pk=row[at["id"]],
        attempts=row[at["attempts"]],
        last_error=row[at["last_error"]],
        claim_token=row[at["claim_token"]],
        claimed_at=row[at["claimed_at"]],
        email=row[at["recipient__email"]],
        is_active=row[at["recipient__is_active"]],
        content=_task_message(row, at) if plain else _instances(row, db),
    )


def _task_message(row: tuple, at: dict[str, int]) -> TaskMessage:
    def name(user: str) -> str:
        return person_name(row[at[f"{user}__first_name"]], row[at[f"{user}__last_name"]], row[at[f"{user}__username"]])

    status = row[at["task__status"]]
    return TaskMessage(
        pk=row[at["id"]],
        kind=row[at["kind"]],
        for_date=row[at["for_date"]],
        name=name("recipient"),
        task=TaskFacts(
            pk=row[at["task__id"]],
            title=row[at["task__title"]],
            status=status,
            status_display=status_display(status),
            percent_complete=row[at["task__percent_complete"]],
            due_date=row[at["task__due_date"]],
            department=Named(row[at["task__department__name"]]),
            initiative_title=row[at["task__initiative__title"]],
            owner_name=None if row[at["task__owner__id"]] is None else name("task__owner"),
        ),
    )


def _instances(row: tuple, db: str) -> Message:
    """The message and its related rows as model instances, related as `select_related` relates them."""
    parts, start = {}, 0
    for path, _model, names in _columns():
        parts[path] = dict(zip(names, row[start : start + len(names)], strict=True))
        start += len(names)
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
