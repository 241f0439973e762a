"""What every import shares: django-import-export widgets with readable errors, and a create-only resource.

Rows are only ever created, through the services (the one door for writes); people and
things are named by slug or username, and every problem becomes a message naming the column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources, widgets

from core.types import UserLike

BAD_DATE = "{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-30."
BAD_NUMBER = "{value!r} is not a number."
BAD_CHOICE = "{value!r} is not one of: {choices}."
UNKNOWN = "No {what} with {key} {value!r}."
REQUIRED = "This column needs a value."
NOT_YOUR_DEPARTMENT = "You may import rows only for the departments you head; {department!r} is not one of them."
COMPANY_LEVEL_STAFF_ONLY = "Rows without a department (company level) are imported by CCO staff only."


class IsoDateWidget(widgets.Widget):
    """Dates as YYYY-MM-DD (or a real date cell in a spreadsheet); anything else is refused."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(BAD_DATE.format(value=value)) from None


class NumberWidget(widgets.Widget):
    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(BAD_NUMBER.format(value=value)) from None


class ChoiceWidget(widgets.Widget):
    def __init__(self, choices: type[models.TextChoices], default: str | None = None) -> None:
        super().__init__()
        self.choices, self.default = choices, default

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> str | None:
        value = str(value or "").strip().lower()
        if not value:
            return self.default
        if value not in self.choices.values:
            raise ValueError(BAD_CHOICE.format(value=value, choices=", ".join(self.choices.values)))
        return value


class KeyWidget(widgets.ForeignKeyWidget):
    """A related object named by a unique key (slug, username, code), with a clear message if unknown."""

    def __init__(self, model: type[models.Model], field: str, what: str) -> None:
        super().__init__(model, field)
        self.what = what

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> models.Model | None:
        value = str(value or "").strip()
        if not value:
            return None
        try:
            return self.model.objects.get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(UNKNOWN.format(what=self.what, key=self.field, value=value)) from None


def field(name: str, widget: widgets.Widget | None = None) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=widget or widgets.CharWidget())


class CreateOnlyResource(resources.ModelResource):
    """Creates every row through a service, checking the importing user's rights per row."""

    required: tuple[str, ...] = ()

    def __init__(self, *, user: UserLike) -> None:
        super().__init__()
        self.user = user

    def import_instance(self, instance: models.Model, row: dict, **kwargs: Any) -> None:
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name in self.required:
            if name not in errors and row.get(name) in (None, ""):
                errors[name] = [REQUIRED]
        if "department" not in errors and not self.may_import(instance):
            department = getattr(instance, "department", None)
            errors["department"] = [
                NOT_YOUR_DEPARTMENT.format(department=str(department)) if department else COMPANY_LEVEL_STAFF_ONLY
            ]
        if errors:
            raise ValidationError(errors)

    def may_import(self, instance: models.Model) -> bool:
        raise NotImplementedError

    def save_instance(self, instance: models.Model, is_create: bool, row: dict, **kwargs: Any) -> None:
        created = self.create(instance)
        instance.pk = created.pk

    def create(self, instance: models.Model) -> models.Model:
        raise NotImplementedError
