"""Admin of initiatives, with their tasks and each department's budget inline.

Initiatives are changed by CCO staff and read by every role; the tasks inline shows only the
tasks the reader may see, and every write goes through the roadmap services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelChoiceField
from django.http import HttpRequest

from core.admin_tools import (
    GuardedHistoryAdmin,
    ServiceForm,
    UserFormInline,
    VersionedForm,
    badge,
    copy_saved,
    form_values,
)
from roadmap.admin.filters import InitiativeTroubleFilter
from roadmap.admin.proposals import ProposalActions
from roadmap.admin.tasks import TaskForm, task_form_save
from roadmap.models import Initiative, InitiativeDepartment, InitiativeExpectation, InitiativeSegment, Task
from roadmap.proposals import initiative_draft
from roadmap.selectors import (
    budget_line_choices,
    initiative_changeable_by,
    initiative_choices,
    initiative_expectation_choices,
    initiative_list,
    initiative_segment_choices,
    task_choices,
    task_list,
)
from roadmap.services import initiative_update, task_delete


class InitiativeForm(VersionedForm):
    class Meta:
        model = Initiative
        fields = "__all__"


class BudgetInline(UserFormInline, admin.TabularInline):
    """What each department puts into the initiative, so duplicate spending across silos shows."""

    model = InitiativeDepartment
    form = ServiceForm
    fields = ["department", "budget", "metrics", "loss_reasons", "segments"]
    extra = 1
    verbose_name = "department budget"
    verbose_name_plural = "department budgets (and what each is for)"
    choices = staticmethod(budget_line_choices)

    def get_queryset(self, request: HttpRequest) -> QuerySet[InitiativeDepartment]:
        return super().get_queryset(request).select_related("department")


class SegmentInline(UserFormInline, admin.TabularInline):
    """The customer case: the segments the initiative affects, and how many customers of each."""

    model = InitiativeSegment
    form = ServiceForm
    fields = ["segment", "customers"]
    extra = 1
    verbose_name = "segment affected"
    verbose_name_plural = "customer case: segments affected"
    choices = staticmethod(initiative_segment_choices)

    def get_queryset(self, request: HttpRequest) -> QuerySet[InitiativeSegment]:
        return super().get_queryset(request).select_related("segment")


class ExpectationInline(UserFormInline, admin.TabularInline):
    """The customer case: each metric it should move, the value expected (within the metric's range) and by when."""

    model = InitiativeExpectation
    form = ServiceForm
    fields = ["metric", "expected_value", "by_date"]
    extra = 1
    verbose_name = "expected metric value"
    verbose_name_plural = "customer case: metrics it should move"
    choices = staticmethod(initiative_expectation_choices)

    def get_queryset(self, request: HttpRequest) -> QuerySet[InitiativeExpectation]:
        return super().get_queryset(request).select_related("metric")


class SharedChoicesFormSet(BaseInlineFormSet):
    """Rows whose selects share one list of choices: one query per select, not one per row.

    An inline's rows all offer the choices of a new object (core.admin_tools.UserFormInline),
    so the first row's list serves every row and the empty row. Validation still checks each
    value against the field's queryset.
    """

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        return self._share(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self) -> Any:
        return self._share(super().empty_form)

    def _share(self, form: Any) -> Any:
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            if name not in shared:
                shared[name] = list(field.choices)
            field.choices = shared[name]
            inner = getattr(field.widget, "widget", None)  # the admin's related-object wrapper
            if inner is not None:
                field.widget.choices = inner.choices = shared[name]
        return form


class TaskInline(UserFormInline, admin.TabularInline):
    model = Task
    form = TaskForm
    formset = SharedChoicesFormSet
    fk_name = "initiative"
    fields = [
        "title",
        "department",
        "owner",
        "due_date",
        "allow_outside_initiative_dates",
        "status",
        "percent_complete",
    ]
    extra = 0
    show_change_link = True
    choices = staticmethod(task_choices)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return task_list(user=request.user).order_by("due_date", "id")


@admin.register(Initiative)
class InitiativeAdmin(ProposalActions, GuardedHistoryAdmin):
    """CCO staff change every initiative; a head drafts initiatives and changes their drafts until proposed."""

    form = InitiativeForm
    list_display = ["title", "roadmap", "owner", "start_date", "end_date", "status", "proposal", "health_badge"]
    list_display += ["budget_total"]
    list_filter = [InitiativeTroubleFilter, "proposal", "status", "health", "roadmap"]
    search_fields = ["title", "outcome"]
    date_hierarchy = "start_date"
    list_select_related = ["roadmap", "owner"]
    filter_horizontal = ["metrics", "loss_reasons"]
    readonly_fields = ["proposal", "drafted_by", "decision_history", "pooled_into"]
    fieldsets = [
        (None, {"fields": ["roadmap", "title", "outcome", "owner", "metrics", "expected_version"]}),
        ("Customer case", {"fields": ["loss_reasons", "profit_at_stake"]}),
        ("Proposal", {"fields": ["proposal", "drafted_by", "decision_history"]}),
        ("Schedule and health", {"fields": ["start_date", "end_date", "status", "health", "pooled_into"]}),
    ]
    inlines = [SegmentInline, ExpectationInline, BudgetInline, TaskInline]
    choices = staticmethod(initiative_choices)

    def has_change_permission(self, request: HttpRequest, obj: Initiative | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or initiative_changeable_by(initiative=obj, user=request.user))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Initiative]:
        ordering = self.get_ordering(request) or Initiative._meta.ordering
        return initiative_list().order_by(*ordering)

    def get_inline_instances(self, request: HttpRequest, obj: Initiative | None = None):
        # Tasks are checked against the initiative's dates, so they are added once the initiative exists.
        inlines = super().get_inline_instances(request, obj)
        return inlines if obj is not None else [i for i in inlines if not isinstance(i, TaskInline)]

    def save_model(self, request: HttpRequest, obj: Initiative, form: InitiativeForm, change: bool) -> None:
        values = form_values(form)
        if obj.pk is None:
            saved = initiative_draft(drafted_by=request.user, metrics=form.cleaned_data.get("metrics", ()), **values)
        else:
            saved = initiative_update(
                initiative=obj, expected_version=form.cleaned_data.get("expected_version"), **values
            )
        copy_saved(obj, saved)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The metrics a case expects to move are among the initiative's metrics, as the service keeps them.
        form.instance.metrics.add(*[e.metric_id for e in form.instance.expectations.all()])

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Task:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for task in formset.deleted_objects:
            task_delete(task=task)
        for task_form in formset.forms:
            if task_form.has_changed() and task_form not in formset.deleted_forms:
                task_form_save(task_form)

    @admin.display(description="health", ordering="health")
    def health_badge(self, obj: Initiative) -> str:
        return badge(obj.health, obj.get_health_display())

    @admin.display(description="budget")
    def budget_total(self, obj: Initiative) -> Decimal:
        # The selector prefetches the department links: no query per row.
        return sum((link.budget for link in obj.department_links.all()), Decimal(0))
