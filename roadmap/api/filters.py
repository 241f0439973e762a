"""Query-string filters of the roadmap endpoints (django-filter)."""

from __future__ import annotations

import django_filters as df

from core.api_filters import DateFilter, IdFilter
from roadmap.models import CheckIn, Initiative, Task


class TaskFilter(df.FilterSet):
    department = IdFilter(field_name="department_id")
    owner = IdFilter(field_name="owner_id")
    initiative = IdFilter(field_name="initiative_id")
    status = df.MultipleChoiceFilter(choices=Task.Status.choices)
    due_after = DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after (YYYY-MM-DD)")
    due_before = DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before (YYYY-MM-DD)")
    health = df.ChoiceFilter(field_name="initiative__health", choices=Initiative._meta.get_field("health").choices)

    class Meta:
        model = Task
        fields = ["department", "owner", "initiative", "status", "due_after", "due_before", "health"]


class InitiativeFilter(df.FilterSet):
    roadmap = IdFilter(field_name="roadmap_id")
    owner = IdFilter(field_name="owner_id")
    department = IdFilter(field_name="department_links__department_id", distinct=True)
    status = df.MultipleChoiceFilter(choices=Initiative.Status.choices)
    health = df.ChoiceFilter(choices=Initiative._meta.get_field("health").choices)

    class Meta:
        model = Initiative
        fields = ["roadmap", "owner", "department", "status", "health"]


class CheckInFilter(df.FilterSet):
    task = IdFilter(field_name="task_id")
    department = IdFilter(field_name="task__department_id")
    date_after = DateFilter(field_name="date", lookup_expr="gte")
    date_before = DateFilter(field_name="date", lookup_expr="lte")
    confidence = df.ChoiceFilter(choices=CheckIn._meta.get_field("confidence").choices)

    class Meta:
        model = CheckIn
        fields = ["task", "department", "date_after", "date_before", "confidence"]
