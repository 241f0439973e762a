"""Admin of slips (a read-only record, decided by the head) and of the slip settings (CCO staff).

A head approves or refuses the slips waiting in the departments they head, with the two
actions below; everyone sees the slips of the tasks they may see.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from core.admin_tools import ScopedAdmin
from org.selectors import user_headed_department_ids, user_is_cco_staff
from roadmap.models import Slip, SlipSettings, Task
from roadmap.selectors import slip_list, task_visible_to
from roadmap.slips import slip_approve, slip_decidable_by, slip_reject

SLIPS_NOT_YOURS = "You may not decide {count} of the selected slips, so nothing was done."
SLIPS_DECIDED = "{count} slip(s) {verb}."


class SlipInline(admin.TabularInline):
    """The task's slips, newest first: a record, decided on the slips page or the home page."""

    model = Slip
    fk_name = "task"
    fields = ["moved_at", "moved_by", "from_date", "to_date", "days", "reason", "status", "decided_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Slip]:
        return super().get_queryset(request).select_related("moved_by", "decided_by")

    def has_add_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Task | None = None) -> bool:
        return False


@admin.register(Slip)
class SlipAdmin(ScopedAdmin):
    list_display = ["task", "department", "moved_by", "moved_at", "from_date", "to_date", "days", "status"]
    list_filter = ["status", ("task__department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["task__title", "reason", "moved_by__username", "moved_by__last_name"]
    date_hierarchy = "moved_at"
    list_select_related = ["task", "task__department", "moved_by"]
    actions = ["approve", "reject"]

    def scope(self, request: HttpRequest) -> QuerySet[Slip]:
        return slip_list(user=request.user)

    def may_see(self, request: HttpRequest, obj: Slip) -> bool:
        return task_visible_to(task=obj.task, user=request.user)

    def may_change(self, request: HttpRequest, obj: Slip) -> bool:
        return slip_decidable_by(slip=obj, user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Slip | None = None) -> list[str]:
        return [f.name for f in Slip._meta.fields]  # a record: decided with the actions, never edited

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Slip | None = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return bool(user_headed_department_ids(user=request.user))

    @admin.display(description="department", ordering="task__department__name")
    def department(self, obj: Slip):
        return obj.task.department

    def _decide(self, request: HttpRequest, queryset: QuerySet[Slip], decide, verb: str) -> None:
        slips = list(queryset)
        selected = len(request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME))
        refused = sum(1 for slip in slips if not slip_decidable_by(slip=slip, user=request.user))
        refused += max(0, selected - len(slips))  # selected, but outside what this user may see
        if refused:
            self.message_user(request, SLIPS_NOT_YOURS.format(count=refused), messages.ERROR)
            return
        try:
            with transaction.atomic():
                for slip in slips:
                    decide(slip=slip, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, SLIPS_DECIDED.format(count=len(slips), verb=verb), messages.SUCCESS)

    @admin.action(description="Approve the selected slips (the due dates move)", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Slip]) -> None:
        self._decide(request, queryset, slip_approve, "approved")

    @admin.action(description="Refuse the selected slips (the due dates stay)", permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Slip]) -> None:
        self._decide(request, queryset, slip_reject, "refused")


@admin.register(SlipSettings)
class SlipSettingsAdmin(admin.ModelAdmin):
    """One row (the migrations create it): CCO staff change it, others read it."""

    fields = ["approval_days"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the row exists from the migrations; a second one would mean nothing

    def has_change_permission(self, request: HttpRequest, obj: SlipSettings | None = None) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: SlipSettings | None = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        # One row: open it directly, with the defaults in force if it was ever lost.
        row = SlipSettings.objects.order_by("pk").first() or SlipSettings.objects.create()
        return redirect("admin:roadmap_slipsettings_change", row.pk)
