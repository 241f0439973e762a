"""Bulk writes of readings and customer movements: every row validated as the services do, then one insert.

`*_bulk_prepare` turns typed rows into unsaved objects and reports every bad row (unknown ids,
departments the user may not write, `full_clean()` errors); `*_bulk_save` inserts them in one
transaction. Ids are resolved with one query per related model, not one per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from core.constraints import model_constraints_validate
from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading
from customers.selectors import department_changeable_for_data
from org.models import Department
from org.selectors import UserLike
from org.stale import scorecard_request_recompute

UNKNOWN_ID = "No {model} has id {value}."
DEPARTMENT_NOT_WRITABLE = "You may only write data of the departments you head."
COMPANY_NOT_WRITABLE = "Only CCO staff write company-level data (no department)."

RowErrors = dict[int, dict[str, list[str]]]
READING_RELATIONS = {"metric": Metric, "department": Department, "segment": CustomerSegment}
MOVEMENT_RELATIONS = {"segment": CustomerSegment, "department": Department, "loss_reason": LossReason}


def _resolve(rows: Mapping[int, dict], relations: dict[str, type[models.Model]]) -> tuple[dict, RowErrors]:
    """Replace ids by objects (one query per model); unknown ids become row errors."""
    found = {}
    for name, model in relations.items():
        ids = {row[name] for row in rows.values() if row.get(name) is not None}
        found[name] = model.objects.in_bulk(ids)
    resolved, errors = {}, {}
    for index, row in rows.items():
        row = dict(row)
        for name, model in relations.items():
            value = row.get(name)
            if value is None:
                continue
            if value not in found[name]:
                errors.setdefault(index, {})[name] = [UNKNOWN_ID.format(model=model._meta.verbose_name, value=value)]
            row[name] = found[name].get(value)
        resolved[index] = row
    return resolved, errors


def _clean(obj: models.Model, relations: dict) -> dict[str, list[str]]:
    """full_clean() without the per-row existence queries of foreign keys (resolved in bulk above),
    and with the check constraints decided in Python where that is exact (core/constraints.py)."""
    try:
        obj.clean_fields(exclude=[*relations, "entered_by"])
        obj.clean()
        obj.validate_unique()
        model_constraints_validate(obj)
    except ValidationError as exc:
        return {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {}


def _prepare(
    model: type[models.Model], relations: dict, rows: Mapping[int, dict], user: UserLike
) -> tuple[list[Any], RowErrors]:
    resolved, errors = _resolve(rows, relations)
    objects = []
    for index, row in resolved.items():
        if index in errors:
            continue
        department = row.get("department")
        if not department_changeable_for_data(department_id=department and department.pk, user=user):
            errors[index] = {"department": [DEPARTMENT_NOT_WRITABLE if department else COMPANY_NOT_WRITABLE]}
            continue
        obj = model(entered_by=user, **row)
        row_errors = _clean(obj, relations)
        if row_errors:
            errors[index] = row_errors
        else:
            objects.append(obj)
    return objects, errors


def readings_bulk_prepare(*, rows: Mapping[int, dict], user: UserLike) -> tuple[list[Reading], RowErrors]:
    return _prepare(Reading, READING_RELATIONS, rows, user)


def movements_bulk_prepare(*, rows: Mapping[int, dict], user: UserLike) -> tuple[list[CustomerMovement], RowErrors]:
    return _prepare(CustomerMovement, MOVEMENT_RELATIONS, rows, user)


@transaction.atomic
def readings_bulk_save(*, readings: list[Reading]) -> list[int]:
    """Insert validated readings (with their history rows) and ask for the scorecards to follow."""
    saved = bulk_create_with_history(readings, Reading, batch_size=500)
    if any(r.pk is None for r in saved):
        # Backends that return no ids (none we support today): fall back to the latest rows.
        saved = list(Reading.objects.order_by("-id")[: len(readings)])[::-1]
    scorecard_request_recompute(department_ids={r.department_id for r in saved}, dates={r.date for r in saved})
    return [r.pk for r in saved]


@transaction.atomic
def movements_bulk_save(*, movements: list[CustomerMovement]) -> list[int]:
    saved = CustomerMovement.objects.bulk_create(movements, batch_size=500)
    scorecard_request_recompute(department_ids={m.department_id for m in saved}, dates={m.date for m in saved})
    return [m.pk for m in saved]
