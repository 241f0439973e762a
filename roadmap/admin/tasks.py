"""Admin of tasks (check-ins inline), scoped by the selectors and written through the services.

A department head sees and changes the tasks and check-ins of the departments they head; a
task owner sees their departments' tasks, changes their own and adds check-ins to them; an
executive reads everything; CCO staff change everything.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from core.admin_filters import AutocompleteFilter, AutocompleteFilterAdmin
from core.admin_pages import PageByIdAdmin
from core.admin_tools import ScopedHistoryAdmin, VersionedForm, badge, copy_saved, form_values
from org.selectors import (
    user_headed_department_ids,
    user_is_cco_staff,
)
from org.stale import scorecard_request_recompute
from roadmap.admin.check_ins import CHECK_IN_FIELDS, CheckInInline
from roadmap.admin.filters import TaskShowFilter
from roadmap.admin.slips import SlipInline
from roadmap.models import CheckIn, Health, Task
from roadmap.selectors import (
    task_changeable_by,
    task_choices,
    task_list,
    task_list_changeable,
    task_visible_to,
    task_waits,
)
from roadmap.services import (
    check_in_create,
    check_in_delete,
    check_in_update,
    task_complete,
    task_create,
    task_delete,
    task_dependencies_validate,
    task_update,
)
from roadmap.slips import due_date_validate, slip_plan

TASKS_NOT_YOURS = "You may not change {count} of the selected tasks, so nothing was done."
TASKS_MARKED_DONE = "{count} task(s) marked done."
RECOMPUTE_REQUESTED = "Scorecard recompute requested for {count} department(s)."
SLIP_WAITS = (
    "The move of the due date to {to_date} waits for the head's approval; the task keeps its due date "
    "{due_date} until then."
)
OPEN = (Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)


class TaskForm(VersionedForm):
    """Task fields, with the service's dependency-cycle and slip checks run as form validation."""

    slip_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you move the due date of a task already started (a slip): say why.",
    )

    class Meta:
        model = Task
        fields = "__all__"

    def _check_slip(self, cleaned: dict) -> None:
        new_due = cleaned.get("due_date")
        task = self.instance
        if task.pk is None or new_due is None or new_due == task.due_date:
            return
        try:
            due_date_validate(task=task, new_due=new_due)
            if task.promised_date is not None:
                slip_plan(task=task, new_due=new_due, by=self.request_user, reason=cleaned.get("slip_reason", ""))
        except ValidationError as exc:
            self.add_error(None, exc)

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_slip(cleaned)
        status = cleaned.get("status")
        # Mirror task_update, so the model's "done ⇔ completed at" rule holds when validated.
        if status == Task.Status.DONE:
            self.instance.completed_at = self.instance.completed_at or timezone.now()
        elif status:
            self.instance.completed_at = None
        if cleaned.get("depends_on") is not None:
            try:
                task_dependencies_validate(task=self.instance, depends_on=cleaned["depends_on"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


def task_form_save(form: TaskForm) -> Task:
    """Save a validated task form (page or inline) through the task services."""
    values = form_values(form)
    depends_on = form.cleaned_data.get("depends_on")
    if form.instance.pk is None:
        return task_create(depends_on=depends_on or (), **values)
    expected = form.cleaned_data.get("expected_version")
    reason = form.cleaned_data.get("slip_reason", "")
    return task_update(
        task=form.instance,
        depends_on=depends_on,
        expected_version=expected,
        by=form.request_user,
        slip_reason=reason,
        **values,
    )


@admin.register(Task)
class TaskAdmin(PageByIdAdmin, AutocompleteFilterAdmin, ScopedHistoryAdmin):
    form = TaskForm
    change_form_template = "admin/roadmap/task/change_form.html"
    # What to act on first (on a phone the table scrolls sideways from the left): title, due, status.
    list_display = ["title", "due", "status", "owner_name", "department", "initiative", "promise", "slips"]
    list_display += ["percent_complete", "confidence"]
    list_filter = [
        TaskShowFilter,
        "status",
        # Thousands of initiatives and people at a large company's size: search boxes, not lists of links.
        ("department", AutocompleteFilter),
        ("initiative", AutocompleteFilter),
        ("owner", AutocompleteFilter),
    ]
    search_fields = ["title", "description", "initiative__title", "owner__username", "owner__last_name"]
    date_hierarchy = "due_date"
    list_select_related = ["initiative", "department", "owner"]
    autocomplete_fields = ["initiative", "depends_on"]
    readonly_fields = ["completed_at", "status_changed_at", "version", "promised_date", "slip_count"]
    fieldsets = [
        (None, {"fields": ["initiative", "department", "title", "description", "owner", "expected_version"]}),
        (
            "Progress",
            {
                "fields": [
                    "due_date",
                    "slip_reason",
                    "promised_date",
                    "slip_count",
                    "allow_outside_initiative_dates",
                    "status",
                    "percent_complete",
                    "completed_at",
                    "status_changed_at",
                    "version",
                ]
            },
        ),
        ("Hand-offs", {"fields": ["depends_on"]}),
    ]
    inlines = [CheckInInline, SlipInline]
    choices = staticmethod(task_choices)  # the API's rule too (roadmap/selectors.py)
    # The accountability app adds "Send a reminder now" (accountability/reminders/admin.py).
    actions = ["mark_done", "recompute_scorecards"]

    def scope(self, request: HttpRequest) -> QuerySet[Task]:
        latest = CheckIn.objects.filter(task=OuterRef("pk")).order_by("-date", "-id").values("confidence")[:1]
        return task_list(user=request.user).annotate(last_confidence=Subquery(latest))

    def may_see(self, request: HttpRequest, obj: Task) -> bool:
        return task_visible_to(task=obj, user=request.user)

    def may_change(self, request: HttpRequest, obj: Task) -> bool:
        return task_changeable_by(task=obj, user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Task | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        user = request.user
        if obj is not None and not (
            user_is_cco_staff(user=user) or obj.department_id in user_headed_department_ids(user=user)
        ):
            fields += ["initiative", "department", "owner"]  # an owner updates the work, not where or whose it is
        return fields

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Task], search_term: str):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "checkin":  # the check-in form's autocomplete: only tasks one may add to
            queryset = queryset.filter(pk__in=task_list_changeable(user=request.user).values("pk"))
        return queryset, duplicates

    def save_model(self, request: HttpRequest, obj: Task, form: TaskForm, change: bool) -> None:
        saved = task_form_save(form)
        pending = getattr(saved, "pending_slip", None)
        copy_saved(obj, saved)
        if pending is not None:
            text = SLIP_WAITS.format(to_date=pending.to_date, due_date=saved.due_date)
            self.message_user(request, text, messages.WARNING)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        formset.save(commit=False)
        for check_in in formset.deleted_objects:
            check_in_delete(check_in=check_in)
        for check_in in formset.new_objects:
            values = {f: getattr(check_in, f) for f in CHECK_IN_FIELDS}
            check_in_create(task=form.instance, author=request.user, **values)
        for check_in, changed in formset.changed_objects:
            check_in_update(check_in=check_in, **{f: getattr(check_in, f) for f in changed if f in CHECK_IN_FIELDS})

    def delete_model(self, request: HttpRequest, obj: Task) -> None:
        task_delete(task=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        for task in queryset:
            task_delete(task=task)

    @admin.display(description="due", ordering="due_date")
    def due(self, obj: Task):
        if obj.status in OPEN and obj.due_date < timezone.localdate():
            return badge("red", f"{obj.due_date.isoformat()} overdue")
        return obj.due_date.isoformat()  # one date format across the product: ISO, as the imports read it

    @admin.display(description="owner", ordering="owner__last_name")
    def owner_name(self, obj: Task) -> str:
        if obj.owner is None:
            return "no owner (department head)"
        return obj.owner.get_full_name() or obj.owner.username

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        """The page also lists who waits on this task and what it waits on (links only where one may open)."""
        task = Task.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if task is not None:
            waiting, awaited = task_waits(task=task)
            for other in waiting + awaited:
                other.visible = task_visible_to(task=other, user=request.user)
            extra_context = {
                **(extra_context or {}),
                "waits": [
                    ("waiting-on-this", "Waiting on this task", waiting),
                    ("this-waits-on", "This task waits on", awaited),
                ],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="promise", ordering="promised_date")
    def promise(self, obj: Task):
        return obj.promised_date.isoformat() if obj.promised_date else "-"

    @admin.display(description="slips", ordering="slip_count")
    def slips(self, obj: Task) -> int:
        return obj.slip_count

    @admin.display(description="confidence", ordering="last_confidence")
    def confidence(self, obj: Task) -> str:
        value = getattr(obj, "last_confidence", None)
        return badge(value, Health(value).label if value else None)

    def _changeable_or_refuse(self, request: HttpRequest, queryset: QuerySet[Task]) -> list[Task] | None:
        tasks = list(queryset)
        refused = sum(1 for task in tasks if not task_changeable_by(task=task, user=request.user))
        if refused:
            self.message_user(request, TASKS_NOT_YOURS.format(count=refused), messages.ERROR)
            return None
        return tasks

    @admin.action(description="Mark the selected tasks done", permissions=["change"])
    def mark_done(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        tasks = self._changeable_or_refuse(request, queryset)
        if tasks is None:
            return
        with transaction.atomic():
            for task in tasks:
                task_complete(task=task)
        self.message_user(request, TASKS_MARKED_DONE.format(count=len(tasks)), messages.SUCCESS)

    @admin.action(description="Recompute the department scorecards of the selected tasks", permissions=["change"])
    def recompute_scorecards(self, request: HttpRequest, queryset: QuerySet[Task]) -> None:
        tasks = self._changeable_or_refuse(request, queryset)
        if tasks is None:
            return
        department_ids = sorted({task.department_id for task in tasks})
        scorecard_request_recompute(department_ids=department_ids)
        self.message_user(request, RECOMPUTE_REQUESTED.format(count=len(department_ids)), messages.SUCCESS)
