"""Query-string filters of the accountability endpoints; `period` takes 2026-Q3 or 2026-07."""

from __future__ import annotations

import django_filters as df

from accountability.models import Message, Recognition, Scorecard
from core.api_filters import DateFilter, IdFilter, PeriodFilter


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
    for_date_after = DateFilter(field_name="for_date", lookup_expr="gte")
    for_date_before = DateFilter(field_name="for_date", lookup_expr="lte")

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
