"""Query-string filters every endpoint shares (django-filter): ids that cannot overflow, periods."""

from __future__ import annotations

import django_filters as df
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.periods import Period

MAX_ID = 2**53  # larger ids are refused by the form field instead of overflowing the database


class IdFilter(df.Filter):
    """An exact filter on an id; not a number or out of range → 400 naming the parameter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class PeriodField(forms.CharField):
    def clean(self, value: str | None) -> Period | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@extend_schema_field(OpenApiTypes.STR)
class PeriodFilter(df.Filter):
    """Rows dated within the period (`field_name` a date), or, with `exact=True`, rows of that period."""

    field_class = PeriodField

    def __init__(self, *args, exact: bool = False, **kwargs) -> None:
        kwargs.setdefault("help_text", "2026-Q3 for a quarter, 2026-07 for a month.")
        super().__init__(*args, **kwargs)
        self.exact = exact

    def filter(self, qs, value: Period | None):
        if value is None:
            return qs
        if self.exact:
            return qs.filter(period_kind=value.kind, period_start=value.start)
        return qs.filter(**{f"{self.field_name}__gte": value.start, f"{self.field_name}__lte": value.end})
