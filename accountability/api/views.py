"""Metrics, targets, readings, customer movements, recognitions and scorecards endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.api import permissions
from accountability.api import serializers as s
from accountability.api.filters import MessageFilter, RecognitionFilter, ScorecardFilter
from accountability.recognition.selectors import recognition_list
from accountability.recognition.services import recognition_create
from accountability.reminders.selectors import message_list
from accountability.scorecards.selectors import scorecard_list
from accountability.scorecards.services import scorecard_settings_get, scorecards_recompute_period
from core.periods import Period
from org.permissions import CCOStaffWrites


class RecognitionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Public thank-yous; the giver is the signed-in user."""

    serializer_class = s.RecognitionSerializer
    permission_classes = [permissions.RecognitionWrites]
    filterset_class = RecognitionFilter
    search_fields = ["note"]
    ordering_fields = ["created_at", "id"]

    def get_queryset(self) -> Any:
        return recognition_list()

    def perform_create(self, serializer: s.RecognitionSerializer) -> None:
        serializer.instance = recognition_create(giver=self.request.user, **serializer.validated_data)


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Reminder, escalation and digest records: what was sent to whom, for which date, and how it went."""

    serializer_class = s.MessageSerializer
    filterset_class = MessageFilter
    ordering_fields = ["for_date", "created_at", "id"]

    def get_queryset(self) -> Any:
        return message_list(user=self.request.user)


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    """Scorecard snapshots with their explaining lines; CCO staff ask for a recompute."""

    serializer_class = s.ScorecardSerializer
    filterset_class = ScorecardFilter
    ordering_fields = ["period_start", "overall_score", "id"]

    def get_queryset(self) -> Any:
        return scorecard_list()

    @extend_schema(request=s.RecomputeSerializer, responses={202: s.RecomputeResultSerializer})
    @action(detail=False, methods=["post"], permission_classes=[CCOStaffWrites])
    def recompute(self, request: Any) -> Response:
        """Recompute the period's scorecards: one department and the company (absent: the company and every
        department), with the owners who have tasks due in them; the response names the period and departments."""
        serializer = s.RecomputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = scorecards_recompute_period(
            period=Period.parse(serializer.validated_data["period"]),
            department_id=serializer.validated_data.get("department"),
        )
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ScorecardSettingsView(APIView):
    """The weights and colour bounds every scorecard is computed with (the defaults until CCO staff save them).

    Read-only here for everyone who may read scorecards: an outside tool can check a scorecard's
    overall score from its lines; CCO staff change the settings in the admin.
    """

    @extend_schema(responses=s.ScorecardSettingsSerializer)
    def get(self, request: Any) -> Response:
        return Response(s.ScorecardSettingsSerializer(scorecard_settings_get()).data)
