"""Shapes of metrics, customer movements, recognitions and scorecards in the API."""

from __future__ import annotations

from rest_framework import serializers

from accountability.models import Message, Recognition, Scorecard, ScorecardLine, ScorecardSettings
from accountability.recognition.selectors import recognition_choices
from core.api import ScopedRelations
from core.periods import Period
from org.models import Department
from org.selectors import UNKNOWN_DEPARTMENT


class RecognitionSerializer(ScopedRelations, serializers.ModelSerializer):
    class Meta:
        model = Recognition
        fields = ["id", "giver", "recipient", "task", "initiative", "metric", "note", "created_at"]
        read_only_fields = ["giver", "created_at"]
        choices = staticmethod(recognition_choices)


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
            raise serializers.ValidationError(UNKNOWN_DEPARTMENT.format(ids=value))
        return value


class RecomputeResultSerializer(serializers.Serializer):
    period = serializers.CharField()
    department_ids = serializers.ListField(child=serializers.IntegerField(allow_null=True))


class ScorecardSettingsSerializer(serializers.ModelSerializer):
    saved = serializers.SerializerMethodField(help_text="False: never saved by CCO staff; these are the defaults.")

    class Meta:
        model = ScorecardSettings
        fields = [
            "delivery_weight",
            "growth_weight",
            "green_from",
            "amber_from",
            "stale_days",
            "nightly_recompute_hour",
            "close_previous_period_on_day",
            "saved",
        ]
        read_only_fields = fields

    def get_saved(self, obj: ScorecardSettings) -> bool:
        return obj.pk is not None
