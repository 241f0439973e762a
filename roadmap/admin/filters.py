"""The task list's "Show" filter (the lists that lead to work; without a choice, open tasks) and the
initiative list's "In trouble" filter (where the dashboard's short list links)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from org.selectors import user_department_ids
from roadmap.models import Initiative, Task
from roadmap.selectors import IN_TROUBLE

OPEN = (Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)


class TaskShowFilter(admin.SimpleListFilter):
    title = "show"
    parameter_name = "show"
    DEFAULT = "open"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("open", "Open tasks (default)"),
            ("mine", "Mine (open)"),
            ("my_departments", "My departments (open)"),
            ("overdue", "Overdue now"),
            ("this_week", "Due this week"),
            ("blocked", "Blocked"),
            ("slipped", "Slipped (moved since promised)"),
            ("all", "All, done and cancelled too"),
        ]

    def value(self) -> str:
        return super().value() or self.DEFAULT

    def choices(self, changelist):
        # Django would offer an "All" that means "no choice", which here means open tasks: use ours.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> QuerySet[Task]:
        today = timezone.localdate()
        value = self.value()
        if value == "all":
            return queryset
        open_tasks = queryset.filter(status__in=OPEN)
        wheres = {
            "open": Q(),
            "mine": Q(owner=request.user),
            "my_departments": Q(department_id__in=user_department_ids(user=request.user)),
            "overdue": Q(due_date__lt=today),
            "this_week": Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=7)),
            "blocked": Q(status=Task.Status.BLOCKED),
            "slipped": Q(slip_count__gt=0),
        }
        return open_tasks.filter(wheres.get(value, Q()))


class InitiativeTroubleFilter(admin.SimpleListFilter):
    """Open initiatives that are amber or red: the dashboard's "initiatives in trouble", all of them."""

    title = "trouble"
    parameter_name = "trouble"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "In trouble (open, amber or red)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
        return queryset.filter(IN_TROUBLE) if self.value() == "yes" else queryset
