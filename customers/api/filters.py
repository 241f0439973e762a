"""Query-string filters of the accountability endpoints; `period` takes 2026-Q3 or 2026-07."""

from __future__ import annotations

import django_filters as df

from core.api_filters import DateFilter, IdFilter, PeriodFilter
from customers.models import CustomerMovement, Reading, Target


class ReadingFilter(df.FilterSet):
    metric = IdFilter(field_name="metric_id")
    department = IdFilter(field_name="department_id")
    segment = IdFilter(field_name="segment_id")
    date_after = DateFilter(field_name="date", lookup_expr="gte")
    date_before = DateFilter(field_name="date", lookup_expr="lte")
    period = PeriodFilter(field_name="date")

    class Meta:
        model = Reading
        fields = ["metric", "department", "segment", "date_after", "date_before", "period"]


class MovementFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=CustomerMovement.Kind.choices)
    segment = IdFilter(field_name="segment_id")
    department = IdFilter(field_name="department_id")
    loss_reason = IdFilter(field_name="loss_reason_id")
    date_after = DateFilter(field_name="date", lookup_expr="gte")
    date_before = DateFilter(field_name="date", lookup_expr="lte")
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
