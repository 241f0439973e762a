"""Query-string filters every endpoint shares (django-filter): ids that cannot overflow, bounded
periods and dates, and a backend whose errors never format what the client sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters as df
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from core.periods import MAX_YEAR, MIN_YEAR, Period, period_or_current_quarter

NOT_A_PERIOD = f"Write a period as 2026-Q3 for a quarter or 2026-07 for a month, in the years {MIN_YEAR} to {MAX_YEAR}."
DATE_OUT_OF_RANGE = f"Write a date from {MIN_YEAR}-01-01 to {MAX_YEAR}-12-31 (YYYY-MM-DD)."

MAX_ID = 2**53  # larger ids are refused by the form field instead of overflowing the database
_PLAIN_ID = re.compile(r"[1-9][0-9]{0,15}")  # what needs no form to be read as an id (FilterBackend)


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
        except ValueError:
            raise forms.ValidationError(NOT_A_PERIOD, code="invalid") from None  # never echo the client's text


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


class BoundedDateField(forms.DateField):
    def clean(self, value: Any) -> dt.date | None:
        day = super().clean(value)
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(DATE_OUT_OF_RANGE, code="out_of_range")
        return day


class DateFilter(df.DateFilter):
    """A date filter refusing years outside MIN_YEAR…MAX_YEAR with a 400 naming the parameter."""

    field_class = BoundedDateField


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, but its 400 takes the form's rendered errors.

    django-filter renders each error as `message % params` itself, which fails on a message
    holding a client's `%` (a 500); the form's own errors are rendered safely.
    """

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filtered = self._by_plain_ids(request, queryset, view)
        if filtered is not None:
            return filtered
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
        return filterset.qs

    def _by_plain_ids(self, request: Any, queryset: Any, view: Any) -> Any | None:
        """The same filtering without building django-filter's form, when every filter asked for is an
        IdFilter with one plain id in range (`?department=12`, the lists integrations poll); None
        otherwise, and django-filter does it all, errors included. The form's fields are deep-copied
        for every request: a tenth of the task list's time (bench/api_profile.py)."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        filters = filterset_class.base_filters
        lookups = {}
        for name in request.query_params:
            spec = filters.get(name)
            if spec is None:
                continue  # not a filter: pagination, ordering, search
            values = request.query_params.getlist(name)
            plain = type(spec) is IdFilter and spec.method is None and not (spec.exclude or spec.distinct)
            if not (plain and len(values) == 1 and _PLAIN_ID.fullmatch(values[0])):
                return None
            if not spec.extra["min_value"] <= int(values[0]) <= spec.extra["max_value"]:
                return None
            lookups[f"{spec.field_name}__{spec.lookup_expr}"] = int(values[0])
        return queryset.filter(**lookups) if lookups else queryset.all()


class PeriodQuerySerializer(serializers.Serializer):
    """`?period=` of a read that covers one period (absent: the current quarter); bad → 400 naming `period`."""

    period = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        error_messages={"max_length": NOT_A_PERIOD},
        help_text="2026-Q3 for a quarter, 2026-07 for a month.",
    )

    def validate_period(self, value: str) -> Period:
        try:
            return period_or_current_quarter(text=value)
        except ValueError:
            raise serializers.ValidationError(NOT_A_PERIOD) from None  # as the filters: never echo the text


def period_from_query(request: Any) -> Period:
    """The period a read asks for; a 400 naming `period` when it is not one."""
    query = PeriodQuerySerializer(data={"period": request.query_params.get("period", "")})
    query.is_valid(raise_exception=True)
    return query.validated_data["period"]
