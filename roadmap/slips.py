"""Promises and slips: the one door for moving a committed due date, and for the head's decision.

DOMAIN (promise and slip): the promise is the due date a department first committed to; every
later move of the due date is a slip, kept with who moved it, when, by how many days and why.
A slip beyond `SlipSettings.approval_days`, or a task's second slip, made by someone who does
not head the task's department (nor is CCO staff), waits for the head: the task keeps its old
date until the head approves. The head hears of it through the reminders' sweep (a
"slip waiting for you" message), which reads pending slips; this floor never calls upward.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events import event_emit
from org.selectors import UserLike, user_headed_department_ids, user_is_cco_staff
from org.stale import scorecard_request_recompute
from roadmap.models import Slip, SlipSettings, Task

SLIP_NEEDS_REASON = "Moving a committed due date is a slip: say why (the reason is kept with the slip)."
DUE_BEFORE_CREATION = "The due date cannot be before the task was created ({created})."
SLIP_ALREADY_PENDING = (
    "A move of this task's due date to {to_date} is already waiting for the head's decision: "
    "it must be approved or refused before the date moves again."
)
SLIP_NOT_YOUR_DEPARTMENT = "Only the head of {department} may approve or refuse this slip."
SLIP_ALREADY_DECIDED = "This slip was already {status}: nothing was changed."


def slip_settings_get() -> SlipSettings:
    """The saved settings row (the migrations create it), or the defaults."""
    return SlipSettings.objects.order_by("pk").first() or SlipSettings()


@dataclass(frozen=True)
class SlipPlan:
    """What a due-date move will do: the slip to record, and whether the date moves now."""

    slip: Slip
    moves_now: bool


def _mover_decides(*, task: Task, by: UserLike | None) -> bool:
    """The head of the task's department (and CCO staff, and the system) need nobody's approval."""
    if by is None:
        return True
    return user_is_cco_staff(user=by) or task.department_id in user_headed_department_ids(user=by)


def due_date_validate(*, task: Task, new_due: dt.date) -> None:
    """A moved due date may not fall before the day the task was created."""
    if task.created_at is None:
        return
    created = timezone.localdate(task.created_at)
    if new_due < created:
        raise ValidationError({"due_date": DUE_BEFORE_CREATION.format(created=created.isoformat())})


def slip_plan(*, task: Task, new_due: dt.date, by: UserLike | None, reason: str) -> SlipPlan:
    """Validate a move of a committed task's due date and say what it does (nothing is saved here).

    `task` is the locked row before the move; raises ValidationError naming `slip_reason` or
    `due_date`.
    """
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["slip_reason"] = SLIP_NEEDS_REASON
    pending = Slip.objects.filter(task_id=task.pk, status=Slip.Status.PENDING).first()
    if pending is not None:
        errors["due_date"] = SLIP_ALREADY_PENDING.format(to_date=pending.to_date.isoformat())
    if errors:
        raise ValidationError(errors)
    days = (new_due - task.due_date).days
    big = days > slip_settings_get().approval_days
    waits = (big or task.slip_count >= 1) and not _mover_decides(task=task, by=by)
    slip = Slip(
        task=task,
        moved_by=by if by is not None and by.is_authenticated else None,
        moved_at=timezone.now(),
        from_date=task.due_date,
        to_date=new_due,
        days=days,
        reason=reason,
        status=Slip.Status.PENDING if waits else Slip.Status.APPROVED,
    )
    return SlipPlan(slip=slip, moves_now=not waits)


def slip_decidable_by(*, slip: Slip, user: UserLike) -> bool:
    """Only the head of the task's department decides a waiting slip."""
    return slip.task.department_id in user_headed_department_ids(user=user)


def _decide(*, slip: Slip, by: UserLike, status: str) -> Slip:
    slip = Slip.objects.select_for_update().select_related("task__department").get(pk=slip.pk)
    if not slip_decidable_by(slip=slip, user=by):
        raise ValidationError(SLIP_NOT_YOUR_DEPARTMENT.format(department=slip.task.department))
    if slip.status != Slip.Status.PENDING:
        raise ValidationError(SLIP_ALREADY_DECIDED.format(status=slip.get_status_display().lower()))
    slip.status = status
    slip.decided_by = by
    slip.decided_at = timezone.now()
    slip.full_clean()
    slip.save()
    return slip


@transaction.atomic
def slip_approve(*, slip: Slip, by: UserLike) -> Slip:
    """The head approves a waiting slip: the task's due date moves to the slip's date now."""
    slip = _decide(slip=slip, by=by, status=Slip.Status.APPROVED)
    task = Task.objects.select_for_update().get(pk=slip.task_id)
    old_due = task.due_date
    task.due_date = slip.to_date
    task.slip_count += 1
    task.version += 1
    task.full_clean()
    task.save()
    scorecard_request_recompute(department_ids=[task.department_id], dates={old_due, task.due_date})
    event_emit("slip.approved", instance=slip)
    return slip


@transaction.atomic
def slip_reject(*, slip: Slip, by: UserLike) -> Slip:
    """The head refuses a waiting slip: the task keeps its date (the refusal is kept on record)."""
    return _decide(slip=slip, by=by, status=Slip.Status.REJECTED)
