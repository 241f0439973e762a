"""Query-string filters of the accountability endpoints; `period` takes 2026-Q3 or 2026-07."""

from __future__ import annotations

import django_filters as df
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accountability.models import CustomerMovement, Message, Reading, Recognition, Scorecard, Target
from accountability.periods import Period
from roadmap.api.filters import IdFilter


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


class ReadingFilter(df.FilterSet):
    metric = IdFilter(field_name="metric_id")
    department = IdFilter(field_name="department_id")
    segment = IdFilter(field_name="segment_id")
    date_after = df.DateFilter(field_name="date", lookup_expr="gte")
    date_before = df.DateFilter(field_name="date", lookup_expr="lte")
    period = PeriodFilter(field_name="date")

    class Meta:
        model = Reading
        fields = ["metric", "department", "segment", "date_after", "date_before", "period"]


class MovementFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=CustomerMovement.Kind.choices)
    segment = IdFilter(field_name="segment_id")
    department = IdFilter(field_name="department_id")
    loss_reason = IdFilter(field_name="loss_reason_id")
    date_after = df.DateFilter(field_name="date", lookup_expr="gte")
    date_before = df.DateFilter(field_name="date", lookup_expr="lte")
    period = PeriodFilter(field_name="date")

    class Meta:
        model = CustomerMovement
        fields = ["kind", "segment", "department", "loss_reason", "date_after", "date_before", "period"]


class TargetFilter(df.FilterSet):
    metric = IdFilter(field_name="metric_id")
    department = IdFilter(field_name="department_id")
    period = PeriodFilter(exact=True)

    class Meta:
        model = Target
        fields = ["metric", "department", "period"]


class ScorecardFilter(df.FilterSet):
    scope = df.ChoiceFilter(choices=Scorecard.Scope.choices)
    department = IdFilter(field_name="department_id")
    owner = IdFilter(field_name="owner_id")
    period = PeriodFilter(exact=True)
    closed = df.BooleanFilter()

    class Meta:
        model = Scorecard
        fields = ["scope", "department", "owner", "period", "closed"]


class MessageFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=Message.Kind.choices)
    status = df.ChoiceFilter(choices=Message.Status.choices)
    recipient = IdFilter(field_name="recipient_id")
    task = IdFilter(field_name="task_id")
    department = IdFilter(field_name="department_id")
    for_date_after = df.DateFilter(field_name="for_date", lookup_expr="gte")
    for_date_before = df.DateFilter(field_name="for_date", lookup_expr="lte")

    class Meta:
        model = Message
        fields = ["kind", "status", "recipient", "task", "department"]


class RecognitionFilter(df.FilterSet):
    giver = IdFilter(field_name="giver_id")
    recipient = IdFilter(field_name="recipient_id")
    task = IdFilter(field_name="task_id")
    initiative = IdFilter(field_name="initiative_id")
    metric = IdFilter(field_name="metric_id")

    class Meta:
        model = Recognition
        fields = ["giver", "recipient", "task", "initiative", "metric"]
