"""The one door for every write to metrics, customer movements and recognitions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accountability.models import CustomerMovement, Reading, Recognition, Target
from accountability.recompute import scorecard_request_recompute
from roadmap.services import StaleVersionError, check_version

__all__ = [
    "StaleVersionError",
    "movement_create",
    "movement_delete",
    "movement_update",
    "reading_create",
    "reading_delete",
    "reading_update",
    "recognition_create",
    "target_create",
    "target_update",
]


@transaction.atomic
def reading_create(**fields: Any) -> Reading:
    reading = Reading(**fields)
    reading.full_clean()
    reading.save()
    scorecard_request_recompute(department_ids=[reading.department_id])
    return reading


@transaction.atomic
def reading_update(*, reading: Reading, **fields: Any) -> Reading:
    """Correct a reading; both its old and its new department's scorecards go stale."""
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    old_department = reading.department_id
    for name, value in fields.items():
        setattr(reading, name, value)
    reading.full_clean()
    reading.save()
    scorecard_request_recompute(department_ids={old_department, reading.department_id})
    return reading


@transaction.atomic
def reading_delete(*, reading: Reading) -> None:
    department_id = reading.department_id
    reading.delete()
    scorecard_request_recompute(department_ids=[department_id])


@transaction.atomic
def movement_create(**fields: Any) -> CustomerMovement:
    movement = CustomerMovement(**fields)
    movement.full_clean()
    movement.save()
    scorecard_request_recompute(department_ids=[movement.department_id])
    return movement


@transaction.atomic
def movement_update(*, movement: CustomerMovement, **fields: Any) -> CustomerMovement:
    """Correct a ledger line; both its old and its new department's scorecards go stale."""
    movement = CustomerMovement.objects.select_for_update().get(pk=movement.pk)
    old_department = movement.department_id
    for name, value in fields.items():
        setattr(movement, name, value)
    movement.full_clean()
    movement.save()
    scorecard_request_recompute(department_ids={old_department, movement.department_id})
    return movement


@transaction.atomic
def movement_delete(*, movement: CustomerMovement) -> None:
    department_id = movement.department_id
    movement.delete()
    scorecard_request_recompute(department_ids=[department_id])


@transaction.atomic
def target_create(**fields: Any) -> Target:
    target = Target(**fields)
    target.full_clean()
    target.save()
    scorecard_request_recompute(department_ids=[target.department_id])
    return target


@transaction.atomic
def target_update(*, target: Target, expected_version: int | None = None, **fields: Any) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    check_version(target, expected_version)
    for name, value in fields.items():
        setattr(target, name, value)
    target.version += 1
    target.full_clean()
    target.save()
    scorecard_request_recompute(department_ids=[target.department_id])
    return target


@transaction.atomic
def recognition_create(**fields: Any) -> Recognition:
    recognition = Recognition(**fields)
    recognition.full_clean()
    recognition.save()
    return recognition
