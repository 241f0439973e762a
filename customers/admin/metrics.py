"""Admin of metric definitions, targets and readings.

Definitions and targets are changed by CCO staff; readings by CCO staff and by the heads of
the departments they belong to (company-level readings: CCO staff only). Writes go through
the accountability services, so scorecards are asked to recompute.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin_filters import AutocompleteFilter, AutocompleteFilterAdmin
from core.admin_tools import (
    GuardedAdmin,
    GuardedHistoryAdmin,
    ScopedHistoryAdmin,
    ServiceForm,
    VersionedForm,
    copy_saved,
    form_values,
)
from customers.models import Metric, Reading, Target
from customers.selectors import (
    department_changeable_for_data,
    department_visible_for_data,
    reading_choices,
    reading_list,
    readings_refused_today,
    target_choices,
)
from customers.services import reading_create, reading_delete, reading_update, target_create, target_update

DATA_DEPARTMENT_NOT_YOURS = "You may enter data only for the departments you head."
DATA_COMPANY_NOT_YOURS = "Only CCO staff enter company-wide data; pick one of your departments."


@admin.register(Metric)
class MetricAdmin(GuardedAdmin):
    list_display = ["code", "name", "unit", "direction", "aggregation", "level", "range", "source", "weight", "active"]
    list_filter = ["direction", "aggregation", "level", "source", "active"]

    @admin.display(description="range")
    def range(self, obj: Metric) -> str:
        return obj.range_text()


class RefusedTodayFilter(admin.SimpleListFilter):
    """Readings kept from before their metric had a range or a ledger source."""

    title = "range"
    parameter_name = "range"

    def lookups(self, request, model_admin):
        return [("outside", "Outside the range, or of a ledger metric"), ("inside", "Inside the range")]

    def queryset(self, request, queryset):
        if self.value() == "outside":
            return queryset.filter(readings_refused_today())
        if self.value() == "inside":
            return queryset.exclude(readings_refused_today())
        return queryset

    search_fields = ["code", "name", "description"]
    prepopulated_fields = {"code": ["name"]}


class TargetForm(VersionedForm):
    class Meta:
        model = Target
        fields = "__all__"


@admin.register(Target)
class TargetAdmin(GuardedHistoryAdmin):
    form = TargetForm
    list_display = ["metric", "department", "period_label", "target_value", "amber_threshold"]
    list_filter = ["period_kind", "metric", "department"]
    search_fields = ["metric__code", "metric__name", "department__name"]
    date_hierarchy = "period_start"
    list_select_related = ["metric", "department"]
    choices = staticmethod(target_choices)

    @admin.display(description="period", ordering="period_start")
    def period_label(self, obj: Target) -> str:
        return str(obj.period)

    def save_model(self, request: HttpRequest, obj: Target, form: TargetForm, change: bool) -> None:
        values = form_values(form)
        expected = form.cleaned_data.get("expected_version")
        saved = target_update(target=obj, expected_version=expected, **values) if obj.pk else target_create(**values)
        copy_saved(obj, saved)


def clean_data_department(form: ServiceForm):
    """The department of a reading or movement, if the form's user may enter data for it."""
    department = form.cleaned_data.get("department")
    if not department_changeable_for_data(department_id=department.pk if department else None, user=form.request_user):
        raise ValidationError(DATA_DEPARTMENT_NOT_YOURS if department else DATA_COMPANY_NOT_YOURS)
    return department


class ReadingForm(ServiceForm):
    """A reading, refused for a department (or the company) the user may not enter data for."""

    class Meta:
        model = Reading
        fields = "__all__"

    def clean_department(self):
        return clean_data_department(self)

    def prepare_instance(self) -> None:
        if self.instance.pk is None:
            self.instance.entered_by = self.request_user


@admin.register(Reading)
class ReadingAdmin(AutocompleteFilterAdmin, ScopedHistoryAdmin):
    form = ReadingForm
    list_display = ["metric", "department", "segment", "date", "value", "source", "entered_by"]
    # Millions of readings at a large company's size: no filter reads them all to list its choices
    # (the departments with readings, the distinct sources); the search box finds a source.
    list_filter = ["metric", ("department", AutocompleteFilter), "segment", RefusedTodayFilter]
    search_fields = ["metric__code", "metric__name", "source"]
    date_hierarchy = "date"
    list_select_related = ["metric", "department", "segment", "entered_by"]
    fields = ["metric", "department", "segment", "date", "value", "source", "entered_by"]
    readonly_fields = ["entered_by"]
    choices = staticmethod(reading_choices)  # the API's rule too

    def scope(self, request: HttpRequest) -> QuerySet[Reading]:
        return reading_list(user=request.user)

    def may_see(self, request: HttpRequest, obj: Reading) -> bool:
        return department_visible_for_data(department_id=obj.department_id, user=request.user)

    def may_change(self, request: HttpRequest, obj: Reading) -> bool:
        return department_changeable_for_data(department_id=obj.department_id, user=request.user)

    def save_model(self, request: HttpRequest, obj: Reading, form: ReadingForm, change: bool) -> None:
        values = form_values(form)
        saved = reading_update(reading=obj, **values) if obj.pk else reading_create(entered_by=request.user, **values)
        copy_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Reading) -> None:
        reading_delete(reading=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Reading]) -> None:
        for reading in queryset:
            reading_delete(reading=reading)
