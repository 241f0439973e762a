"""Admin of customer segments, loss reasons and the ledger of customers gained and lost.

Segments and loss reasons are lists the CCO office keeps; movements are changed by CCO staff
and by the heads of the departments accountable, through the accountability services.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin_tools import GuardedAdmin, ScopedAdmin, ServiceForm, badge, copy_saved, form_values
from customers.admin.metrics import clean_data_department
from customers.models import CustomerMovement, CustomerSegment, LossReason
from customers.selectors import (
    department_changeable_for_data,
    department_visible_for_data,
    loss_reason_choices,
    movement_choices,
    movement_list,
)
from customers.services import movement_create, movement_delete, movement_update

LOSS_NEEDS_REASON = "A loss needs a loss reason."
GAIN_HAS_NO_REASON = "Customers gained have no loss reason; leave it empty."


@admin.register(CustomerSegment)
class CustomerSegmentAdmin(GuardedAdmin):
    list_display = ["name", "slug", "rank"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(LossReason)
class LossReasonAdmin(GuardedAdmin):
    list_display = ["name", "slug", "department", "active"]
    list_filter = ["active", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    choices = staticmethod(loss_reason_choices)


class MovementForm(ServiceForm):
    """A ledger line, refused for a department the user may not enter data for."""

    class Meta:
        model = CustomerMovement
        fields = "__all__"

    def clean_department(self):
        return clean_data_department(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        kind, reason = cleaned.get("kind"), cleaned.get("loss_reason")
        # The database constraint says the same, but without naming the field.
        if kind == CustomerMovement.Kind.LOST and reason is None:
            self.add_error("loss_reason", LOSS_NEEDS_REASON)
        elif kind == CustomerMovement.Kind.GAINED and reason is not None:
            self.add_error("loss_reason", GAIN_HAS_NO_REASON)
        return cleaned

    def prepare_instance(self) -> None:
        if self.instance.pk is None:
            self.instance.entered_by = self.request_user


@admin.register(CustomerMovement)
class CustomerMovementAdmin(ScopedAdmin):
    form = MovementForm
    list_display = ["date", "kind_badge", "count", "segment", "department", "revenue", "profit", "loss_reason"]
    list_filter = ["kind", "segment", ("department", RelatedOnlyFieldListFilter), "loss_reason"]
    search_fields = ["note", "source", "segment__name", "loss_reason__name"]
    date_hierarchy = "date"
    list_select_related = ["segment", "department", "loss_reason"]
    fields = [
        "date",
        "kind",
        "segment",
        "department",
        "count",
        "revenue",
        "profit",
        "loss_reason",
        "note",
        "source",
        "entered_by",
    ]
    readonly_fields = ["entered_by"]
    choices = staticmethod(movement_choices)  # the API's rule too

    def scope(self, request: HttpRequest) -> QuerySet[CustomerMovement]:
        return movement_list(user=request.user)

    def may_see(self, request: HttpRequest, obj: CustomerMovement) -> bool:
        return department_visible_for_data(department_id=obj.department_id, user=request.user)

    def may_change(self, request: HttpRequest, obj: CustomerMovement) -> bool:
        return department_changeable_for_data(department_id=obj.department_id, user=request.user)

    def save_model(self, request: HttpRequest, obj: CustomerMovement, form: MovementForm, change: bool) -> None:
        values = form_values(form)
        if obj.pk:
            saved = movement_update(movement=obj, **values)
        else:
            saved = movement_create(entered_by=request.user, **values)
        copy_saved(obj, saved)

    def delete_model(self, request: HttpRequest, obj: CustomerMovement) -> None:
        movement_delete(movement=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CustomerMovement]) -> None:
        for movement in queryset:
            movement_delete(movement=movement)

    @admin.display(description="kind", ordering="kind")
    def kind_badge(self, obj: CustomerMovement) -> str:
        return badge(obj.kind, obj.get_kind_display())
