"""Shapes of metrics, customer movements, recognitions and scorecards in the API."""

from __future__ import annotations

from rest_framework import serializers

from accountability.api.bulk import StrictRowSerializer, id_field, optional_id_field
from accountability.models import (
    CustomerMovement,
    CustomerSegment,
    LossReason,
    Message,
    Metric,
    Reading,
    Recognition,
    Scorecard,
    ScorecardLine,
    Target,
)
from accountability.periods import Period
from roadmap.models import Department

UNKNOWN_DEPARTMENT = "No department has id {value}."


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = ["id", "code", "name", "description", "unit", "direction", "aggregation", "level", "weight", "active"]


class CustomerSegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerSegment
        fields = ["id", "name", "slug", "description", "rank"]


class LossReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = LossReason
        fields = ["id", "name", "slug", "active"]


class TargetSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "metric", "department", "period_kind", "period_start", "period", "target_value"]
        fields += ["amber_threshold", "version", "updated_at"]
        read_only_fields = ["version", "updated_at"]
        validators: list = []  # the unique checks are the service's (full_clean), with its messages


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = ["id", "metric", "department", "segment", "date", "value", "source", "entered_by", "created_at"]
        read_only_fields = ["entered_by", "created_at"]


class CustomerMovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerMovement
        fields = ["id", "date", "kind", "segment", "department", "count", "revenue", "profit", "loss_reason"]
        fields += ["note", "source", "entered_by", "created_at"]
        read_only_fields = ["entered_by", "created_at"]
        extra_kwargs = {"revenue": {"min_value": 0}}


class RecognitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recognition
        fields = ["id", "giver", "recipient", "task", "initiative", "metric", "note", "created_at"]
        read_only_fields = ["giver", "created_at"]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "kind", "task", "department", "recipient", "for_date", "status", "attempts", "last_error"]
        fields += ["enqueued_at", "claimed_at", "sent_at", "created_at"]
        read_only_fields = fields


class ScorecardLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardLine
        fields = ["position", "part", "metric", "label", "inputs", "value", "score", "colour", "weight", "explanation"]


class ScorecardSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)
    lines = ScorecardLineSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = "__all__"


class RecomputeSerializer(serializers.Serializer):
    """Which scorecards to recompute: a period, and one department (absent: company and all)."""

    period = serializers.CharField(max_length=10, help_text="2026-Q3 for a quarter, 2026-07 for a month.")
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**53)

    def validate_period(self, value: str) -> str:
        try:
            return Period.parse(value).label
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_department(self, value: int | None) -> int | None:
        if value is not None and not Department.objects.filter(pk=value).exists():
            raise serializers.ValidationError(UNKNOWN_DEPARTMENT.format(value=value))
        return value


class RecomputeResultSerializer(serializers.Serializer):
    period = serializers.CharField()
    department_ids = serializers.ListField(child=serializers.IntegerField(allow_null=True))


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
