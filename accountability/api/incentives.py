"""Variable pay in the API (CCO staff write, everyone signed in reads): pay plans and metric conflicts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import mixins, serializers, viewsets

from accountability.incentives.selectors import (
    metric_conflict_choices,
    pay_plan_choices,
    pay_plan_list,
)
from accountability.incentives.services import metric_conflict_create, pay_plan_save
from accountability.models import MetricConflict, PayPlan, PayWeight
from core.api import WRITE_METHODS, ScopedRelations
from org.permissions import CCOStaffWrites


class PayWeightSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayWeight
        fields = ["metric", "weight"]


class PayPlanSerializer(ScopedRelations, serializers.ModelSerializer):
    """A department's or role's variable pay: `weights: [{metric, weight}]`, replaced as a whole when given."""

    weights = PayWeightSerializer(many=True)
    customer_share = serializers.SerializerMethodField()

    class Meta:
        model = PayPlan
        fields = ["id", "department", "role", "note", "weights", "customer_share", "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list = []  # the service's full_clean says it once, on the right field
        choices = staticmethod(pay_plan_choices)

    def get_customer_share(self, plan: PayPlan) -> str | None:
        """0..1, as text like every decimal of the API; null when no weight is above zero."""
        weights = [w for w in plan.weights.all() if w.weight > 0]
        total = sum((w.weight for w in weights), Decimal(0))
        customer = sum((w.weight for w in weights if w.metric.about_customers), Decimal(0))
        return str((customer / total).quantize(Decimal("0.0001"))) if total else None


class MetricConflictSerializer(ScopedRelations, serializers.ModelSerializer):
    class Meta:
        model = MetricConflict
        fields = ["id", "metric_a", "metric_b", "why"]
        validators: list = []
        choices = staticmethod(metric_conflict_choices)


def _weights(data: dict) -> list | None:
    rows = data.pop("weights", None)
    return None if rows is None else [(row["metric"], row["weight"]) for row in rows]


class PayPlanViewSet(viewsets.ModelViewSet):
    serializer_class = PayPlanSerializer
    permission_classes = [CCOStaffWrites]
    filterset_fields = ["department", "role"]
    ordering_fields = ["id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        return pay_plan_list().order_by("id")

    def perform_create(self, serializer: PayPlanSerializer) -> None:
        data = dict(serializer.validated_data)
        plan = pay_plan_save(weights=_weights(data), **data)
        serializer.instance = self.get_queryset().get(pk=plan.pk)

    def perform_update(self, serializer: PayPlanSerializer) -> None:
        data = dict(serializer.validated_data)
        plan = pay_plan_save(plan=serializer.instance, weights=_weights(data), **data)
        serializer.instance = self.get_queryset().get(pk=plan.pk)


class MetricConflictViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Metrics marked as pulling against each other; CCO staff add them (the admin removes them)."""

    serializer_class = MetricConflictSerializer
    permission_classes = [CCOStaffWrites]
    ordering_fields = ["id"]

    def get_queryset(self) -> Any:
        return MetricConflict.objects.order_by("id")

    def perform_create(self, serializer: MetricConflictSerializer) -> None:
        serializer.instance = metric_conflict_create(**serializer.validated_data)
