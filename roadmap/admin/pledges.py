"""Admin of the task force: pledged people and hours per department, and meetings with attendance.

CCO staff and department heads pledge (a head only their departments' people); CCO staff record
meetings. Every write goes through the roadmap services.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin_filters import AutocompleteFilter, AutocompleteFilterAdmin
from core.admin_tools import GuardedAdmin, ScopedHistoryAdmin, ServiceForm, copy_saved, form_values
from roadmap.models import Meeting, Pledge
from roadmap.selectors import meeting_choices, meeting_list, pledge_choices, pledge_list, pledge_list_changeable
from roadmap.task_force import meeting_create, meeting_update, pledge_create, pledge_update


class PledgeForm(ServiceForm):
    class Meta:
        model = Pledge
        fields = "__all__"


@admin.register(Pledge)
class PledgeAdmin(ScopedHistoryAdmin):
    form = PledgeForm
    list_display = ["person", "department", "initiative", "hours_per_month", "created_at"]
    list_filter = ["department"]
    search_fields = ["person__username", "person__first_name", "person__last_name", "initiative__title"]
    list_select_related = ["person", "department", "initiative"]
    fields = ["initiative", "department", "person", "hours_per_month"]
    choices = staticmethod(pledge_choices)

    def scope(self, request: HttpRequest) -> QuerySet[Pledge]:
        return pledge_list()

    def may_see(self, request: HttpRequest, obj: Pledge) -> bool:
        return True  # like initiatives, every role reads the task force

    def may_change(self, request: HttpRequest, obj: Pledge) -> bool:
        return pledge_list_changeable(user=request.user).filter(pk=obj.pk).exists()

    def save_model(self, request: HttpRequest, obj: Pledge, form: PledgeForm, change: bool) -> None:
        values = form_values(form)
        saved = pledge_update(pledge=obj, **values) if obj.pk else pledge_create(**values)
        copy_saved(obj, saved)


class MeetingForm(ServiceForm):
    class Meta:
        model = Meeting
        fields = "__all__"


@admin.register(Meeting)
class MeetingAdmin(AutocompleteFilterAdmin, GuardedAdmin):
    form = MeetingForm
    list_display = ["date", "initiative", "title", "attendance"]
    list_filter = [("initiative", AutocompleteFilter)]  # thousands at a large company's size: a search box
    date_hierarchy = "date"
    search_fields = ["title", "initiative__title"]
    list_select_related = ["initiative"]
    filter_horizontal = ["attendees"]
    fields = ["initiative", "date", "title", "attendees"]
    choices = staticmethod(meeting_choices)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        return meeting_list()

    def save_model(self, request: HttpRequest, obj: Meeting, form: MeetingForm, change: bool) -> None:
        values = form_values(form)
        attendees = form.cleaned_data.get("attendees", ())
        if obj.pk:
            saved = meeting_update(meeting=obj, attendees=attendees, **values)
        else:
            saved = meeting_create(attendees=attendees, **values)
        copy_saved(obj, saved)

    def save_related(self, request: HttpRequest, form: MeetingForm, formsets, change: bool) -> None:
        """The service set the attendees; only the (absent) inlines are left to save."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description="attended")
    def attendance(self, obj: Meeting) -> int:
        return len(obj.attendees.all())  # prefetched by the selector
