"""django-import-export Resources for importing metric readings and customer movements."""

from __future__ import annotations

from typing import Any

from import_export import widgets

from core.resources import ChoiceWidget, CreateOnlyResource, IsoDateWidget, KeyWidget, NumberWidget, field
from customers import services
from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading
from customers.selectors import department_changeable_for_data
from org.models import Department


class ReadingResource(CreateOnlyResource):
    """Columns: metric (code), date, value (required); department and segment (slugs)."""

    required = ("metric", "date", "value")
    metric = field("metric", KeyWidget(Metric, "code", "metric"))
    department = field("department", KeyWidget(Department, "slug", "department"))
    segment = field("segment", KeyWidget(CustomerSegment, "slug", "segment"))
    date = field("date", IsoDateWidget())
    value = field("value", NumberWidget())

    class Meta:
        model = Reading
        fields = ("metric", "department", "segment", "date", "value")
        force_init_instance = True
        skip_diff = True

    def may_import(self, instance: Reading) -> bool:
        return department_changeable_for_data(department_id=instance.department_id, user=self.user)

    def create(self, instance: Reading) -> Reading:
        return services.reading_create(
            metric=instance.metric,
            department=instance.department,
            segment=instance.segment,
            date=instance.date,
            value=instance.value,
            source="import",
            entered_by=self.user,
        )


class MovementResource(CreateOnlyResource):
    """Columns: date, kind, segment, count (required); department, revenue, profit, loss_reason, note."""

    required = ("date", "kind", "segment", "count")
    date = field("date", IsoDateWidget())
    kind = field("kind", ChoiceWidget(CustomerMovement.Kind))
    segment = field("segment", KeyWidget(CustomerSegment, "slug", "segment"))
    department = field("department", KeyWidget(Department, "slug", "department"))
    count = field("count", widgets.IntegerWidget())
    revenue = field("revenue", NumberWidget())
    profit = field("profit", NumberWidget())
    loss_reason = field("loss_reason", KeyWidget(LossReason, "slug", "loss reason"))
    note = field("note")

    class Meta:
        model = CustomerMovement
        fields = ("date", "kind", "segment", "department", "count", "revenue", "profit", "loss_reason", "note")
        force_init_instance = True
        skip_diff = True

    def import_instance(self, instance: CustomerMovement, row: dict, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.revenue = instance.revenue or 0  # empty cells mean "nothing at stake recorded"
        instance.profit = instance.profit or 0

    def may_import(self, instance: CustomerMovement) -> bool:
        return department_changeable_for_data(department_id=instance.department_id, user=self.user)

    def create(self, instance: CustomerMovement) -> CustomerMovement:
        names = ("date", "kind", "segment", "department", "count", "revenue", "profit", "loss_reason", "note")
        fields = {name: getattr(instance, name) for name in names}
        return services.movement_create(**fields, source="import", entered_by=self.user)
