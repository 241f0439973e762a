"""An initiative's follow-through, read-only: GET /api/v1/initiatives/{id}/follow-through/.

The initiative endpoint lives a floor below (roadmap/api); follow-through is computed here, like the
scorecards (accountability.scorecards.follow_through), so this floor adds the route. Whoever may
read the initiative may read its follow-through; anyone else gets its 404.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.scorecards.follow_through import follow_through_get
from roadmap.selectors import initiative_list


class TrendPointSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class MetricFollowThroughSerializer(serializers.Serializer):
    metric = serializers.IntegerField(source="metric.pk")
    code = serializers.CharField(source="metric.code")
    name = serializers.CharField(source="metric.name")
    unit = serializers.CharField(source="metric.unit")
    direction = serializers.CharField(source="metric.direction")
    source = serializers.CharField(source="metric.source", help_text="readings, or ledger_gained/lost/net")
    expected_value = serializers.DecimalField(max_digits=16, decimal_places=4, source="expectation.expected_value")
    by = serializers.DateField(source="expectation.by_date")
    before_period = serializers.CharField(help_text="The quarter before the initiative started.")
    before = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    now_period = serializers.CharField(help_text="The quarter after it ended, or the latest while it runs.")
    now = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    trend = serializers.SerializerMethodField()
    moved = serializers.BooleanField(allow_null=True, help_text="Better than before in the metric's direction.")
    reached = serializers.BooleanField(allow_null=True, help_text="Now at or beyond the expected value.")

    @extend_schema_field(TrendPointSerializer(many=True))
    def get_trend(self, obj: Any) -> list[dict]:
        return TrendPointSerializer([{"period": str(p), "value": v} for p, v in obj.trend], many=True).data


class LossReasonFollowThroughSerializer(serializers.Serializer):
    name = serializers.CharField()
    before = serializers.IntegerField(help_text="Customers lost for it in the quarter before.")
    now = serializers.IntegerField(help_text="Customers lost for it in the 'now' quarter.")


class FollowThroughSerializer(serializers.Serializer):
    initiative = serializers.IntegerField(source="initiative.pk")
    title = serializers.CharField(source="initiative.title")
    status = serializers.CharField(source="initiative.status")
    did_not_move = serializers.BooleanField(help_text="Finished, with metrics to move, and none moved.")
    metrics = MetricFollowThroughSerializer(many=True)
    loss_reasons = LossReasonFollowThroughSerializer(many=True)


class InitiativeFollowThroughView(APIView):
    """Did the initiative move what its customer case said? Its metrics and loss reasons before, during, now."""

    http_method_names = ["get", "head", "options"]  # read-only: any other method is a 405, whatever the role

    def get_queryset(self) -> Any:
        return initiative_list()  # the same visibility, and model permission (view_initiative), as the initiative

    @extend_schema(responses=FollowThroughSerializer, operation_id="initiatives_follow_through_retrieve")
    def get(self, request: Request, pk: int) -> Response:
        initiative = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(FollowThroughSerializer(follow_through_get(initiative=initiative)).data)
