"""Shapes of metrics, customer movements, recognitions and scorecards in the API."""

from __future__ import annotations

from rest_framework import serializers

from core.api import ScopedRelations
from core.api_bulk import StrictRowSerializer, id_field, optional_id_field
from customers.models import CustomerMovement, CustomerSegment, LossReason, Metric, Reading, Target
from customers.selectors import loss_reason_choices, movement_choices, reading_choices, target_choices


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = ["id", "code", "name", "description", "unit", "direction", "aggregation", "level", "weight", "active"]
        fields += ["about_customers"]


class CustomerSegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerSegment
        fields = ["id", "name", "slug", "description", "rank"]


class LossReasonSerializer(ScopedRelations, serializers.ModelSerializer):
    """Kept in the admin; only the accountable `department` (or null: no owner) is set here, by CCO staff."""

    class Meta:
        model = LossReason
        fields = ["id", "name", "slug", "active", "department"]  # department: the accountable one, or null
        read_only_fields = ["name", "slug", "active"]
        choices = staticmethod(loss_reason_choices)


class TargetSerializer(ScopedRelations, serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "metric", "department", "period_kind", "period_start", "period", "target_value"]
        fields += ["amber_threshold", "version", "updated_at"]
        read_only_fields = ["version", "updated_at"]
        validators: list = []  # the unique checks are the service's (full_clean), with its messages
        choices = staticmethod(target_choices)


class ReadingSerializer(ScopedRelations, serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = ["id", "metric", "department", "segment", "date", "value", "source", "entered_by", "created_at"]
        read_only_fields = ["entered_by", "created_at"]
        choices = staticmethod(reading_choices)


class CustomerMovementSerializer(ScopedRelations, serializers.ModelSerializer):
    class Meta:
        model = CustomerMovement
        fields = ["id", "date", "kind", "segment", "department", "count", "revenue", "profit", "loss_reason"]
        fields += ["note", "source", "entered_by", "created_at"]
        read_only_fields = ["entered_by", "created_at"]
        extra_kwargs = {"revenue": {"min_value": 0}}
        choices = staticmethod(movement_choices)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class ReadingRowSerializer(StrictRowSerializer):
    """One row of `POST /api/v1/readings/bulk/` (ids for related objects)."""

    metric = id_field()
    department = optional_id_field()
    segment = optional_id_field()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=4)
    source = serializers.CharField(max_length=50, required=False, allow_blank=True, default="api")


class MovementRowSerializer(StrictRowSerializer):
    """One row of `POST /api/v1/movements/bulk/`: a loss needs a loss_reason, a gain has none."""

    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CustomerMovement.Kind.choices)
    segment = id_field()
    department = optional_id_field()
    count = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, default=0)
    profit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
    loss_reason = optional_id_field()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=50, required=False, allow_blank=True, default="api")


class ReadingBulkSerializer(serializers.Serializer):
    rows = ReadingRowSerializer(many=True, max_length=5000, allow_empty=False)


class MovementBulkSerializer(serializers.Serializer):
    rows = MovementRowSerializer(many=True, max_length=5000, allow_empty=False)
