"""The one door for every write to targets, readings and customer movements."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.events import event_emit
from core.versions import StaleVersionError, check_version
from customers.models import CustomerMovement, LossReason, Reading, Target
from org.stale import scorecard_request_recompute

__all__ = [
    "StaleVersionError",
    "loss_reason_assign",
    "movement_create",
    "movement_delete",
    "movement_update",
    "reading_create",
    "reading_delete",
    "reading_update",
    "target_create",
    "target_update",
]


DataRow = Reading | CustomerMovement


def _row_save(row: DataRow, fields: dict[str, Any]) -> DataRow:
    """Validate and save a reading or movement; its department's scorecards (old and new) go stale."""
    departments, dates = ({row.department_id}, {row.date}) if row.pk else (set(), set())
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    scorecard_request_recompute(department_ids=departments | {row.department_id}, dates=dates | {row.date})
    return row


def _row_delete(row: DataRow) -> None:
    department_id, date = row.department_id, row.date
    row.delete()
    scorecard_request_recompute(department_ids=[department_id], dates=[date])


@transaction.atomic
def reading_create(**fields: Any) -> Reading:
    return _row_save(Reading(), fields)


@transaction.atomic
def reading_update(*, reading: Reading, **fields: Any) -> Reading:
    """Correct a reading; both its old and its new department's scorecards go stale."""
    return _row_save(Reading.objects.select_for_update().get(pk=reading.pk), fields)


@transaction.atomic
def reading_delete(*, reading: Reading) -> None:
    _row_delete(reading)


@transaction.atomic
def movement_create(**fields: Any) -> CustomerMovement:
    movement = _row_save(CustomerMovement(), fields)
    event_emit("movement.recorded", instance=movement)
    return movement


@transaction.atomic
def movement_update(*, movement: CustomerMovement, **fields: Any) -> CustomerMovement:
    """Correct a ledger line; both its old and its new department's scorecards go stale."""
    return _row_save(CustomerMovement.objects.select_for_update().get(pk=movement.pk), fields)


@transaction.atomic
def movement_delete(*, movement: CustomerMovement) -> None:
    _row_delete(movement)


@transaction.atomic
def target_create(**fields: Any) -> Target:
    target = Target(**fields)
    target.full_clean()
    target.save()
    scorecard_request_recompute(department_ids=[target.department_id], dates=[target.period_start])
    return target


@transaction.atomic
def target_update(*, target: Target, expected_version: int | None = None, **fields: Any) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    check_version(target, expected_version)
    departments, dates = {target.department_id}, {target.period_start}
    for name, value in fields.items():
        setattr(target, name, value)
    target.version += 1
    target.full_clean()
    target.save()
    departments.add(target.department_id)
    scorecard_request_recompute(department_ids=departments, dates=dates | {target.period_start})
    return target


@transaction.atomic
def loss_reason_assign(*, reason: LossReason, department: Any) -> LossReason:
    """Make a department accountable for a loss reason (None: no owner). CCO staff decide; callers check."""
    reason = LossReason.objects.select_for_update().get(pk=reason.pk)
    reason.department = department
    reason.full_clean()
    reason.save(update_fields=["department"])
    return reason
