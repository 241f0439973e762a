"""Admin of check-ins: the owner's dated progress notes, also shown inline on the task page.

CCO staff and the task's department head correct check-ins; the task's owner adds them.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import RelatedFieldListFilter, RelatedOnlyFieldListFilter
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.admin_tools import ScopedHistoryAdmin, ServiceForm, UserFormInline, badge, copy_saved
from org.models import Department
from org.selectors import user_sees_everything
from roadmap.models import CheckIn, Task
from roadmap.selectors import (
    check_in_addable_by,
    check_in_changeable_by,
    check_in_choices,
    check_in_list,
    task_visible_to,
)
from roadmap.services import check_in_create, check_in_delete, check_in_update

CHECK_IN_FIELDS = ("date", "percent_complete", "confidence", "note")


class CheckInForm(ServiceForm):
    class Meta:
        model = CheckIn
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "date" in self.fields and self.instance.pk is None:
            self.fields["date"].initial = timezone.localdate

    def prepare_instance(self) -> None:
        if self.instance.pk is None:
            self.instance.author = self.request_user  # check_in_create records the person checking in


class CheckInInline(UserFormInline, admin.TabularInline):
    model = CheckIn
    form = CheckInForm
    fields = ["date", "percent_complete", "confidence", "note", "author"]
    readonly_fields = ["author"]
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[CheckIn]:
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or check_in_addable_by(task=obj, user=request.user))

    def has_change_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or check_in_changeable_by(check_in=CheckIn(task=obj), user=request.user))

    def has_delete_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or check_in_changeable_by(check_in=CheckIn(task=obj), user=request.user))


class CheckInDepartmentFilter(RelatedOnlyFieldListFilter):
    """Departments to filter by. Those who see every check-in get every department, read from the
    departments: the departments of every check-in, a DISTINCT over all of them, cost more than
    the rest of the page at a large company's size. The others get those of the check-ins they see."""

    def field_choices(self, field, request: HttpRequest, model_admin) -> list:
        if user_sees_everything(user=request.user):
            return RelatedFieldListFilter.field_choices(self, field, request, model_admin)
        return super().field_choices(field, request, model_admin)


@admin.register(CheckIn)
class CheckInAdmin(ScopedHistoryAdmin):
    form = CheckInForm
    list_display = ["task", "department", "date", "percent_complete", "confidence_badge", "author"]
    list_filter = ["confidence", ("task__department", CheckInDepartmentFilter)]
    search_fields = ["task__title", "note", "author__username"]
    date_hierarchy = "date"
    list_select_related = ["task", "task__department", "author"]
    autocomplete_fields = ["task"]
    fields = ["task", "date", "percent_complete", "confidence", "note", "author"]
    choices = staticmethod(check_in_choices)

    def scope(self, request: HttpRequest) -> QuerySet[CheckIn]:
        return check_in_list(user=request.user)

    def may_see(self, request: HttpRequest, obj: CheckIn) -> bool:
        return task_visible_to(task=obj.task, user=request.user)

    def may_change(self, request: HttpRequest, obj: CheckIn) -> bool:
        return check_in_changeable_by(check_in=obj, user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: CheckIn | None = None) -> list[str]:
        return ["author"] if obj is None else ["task", "author"]

    def save_model(self, request: HttpRequest, obj: CheckIn, form: CheckInForm, change: bool) -> None:
        values = {f: getattr(obj, f) for f in CHECK_IN_FIELDS}
        if change:  # a correction by CCO staff or the head
            copy_saved(obj, check_in_update(check_in=obj, **values))
            return
        copy_saved(obj, check_in_create(task=obj.task, author=request.user, **values))

    def delete_model(self, request: HttpRequest, obj: CheckIn) -> None:
        check_in_delete(check_in=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CheckIn]) -> None:
        for check_in in queryset:
            check_in_delete(check_in=check_in)

    @admin.display(description="department", ordering="task__department__name")
    def department(self, obj: CheckIn) -> Department:
        return obj.task.department

    @admin.display(description="confidence", ordering="confidence")
    def confidence_badge(self, obj: CheckIn) -> str:
        return badge(obj.confidence, obj.get_confidence_display())
