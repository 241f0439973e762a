"""Slips in the API: read them as the tasks are read; the head of the task's department decides."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from roadmap.models import Slip
from roadmap.selectors import slip_list
from roadmap.slips import SLIP_NOT_YOUR_DEPARTMENT, slip_approve, slip_decidable_by, slip_reject


class SlipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slip
        fields = ["id", "task", "moved_by", "moved_at", "from_date", "to_date", "days", "reason", "status"]
        fields += ["decided_by", "decided_at"]
        read_only_fields = fields


class SlipViewSet(viewsets.ReadOnlyModelViewSet):
    """Moves of committed due dates; `approve` and `refuse` are for the head of the task's department."""

    # Deciding a slip changes it: heads hold roadmap.change_slip, not add_slip.
    action_permissions = {"approve": "change", "refuse": "change"}

    serializer_class = SlipSerializer
    filterset_fields = ["status", "task"]
    ordering_fields = ["moved_at", "id"]

    def get_queryset(self) -> Any:
        return slip_list(user=self.request.user)

    def _decide(self, decide) -> Response:
        slip = self.get_object()
        if not slip_decidable_by(slip=slip, user=self.request.user):
            raise PermissionDenied(SLIP_NOT_YOUR_DEPARTMENT.format(department=slip.task.department))
        try:
            decided = decide(slip=slip, by=self.request.user)
        except ValidationError as exc:  # already decided: a 400 saying so, nothing changed
            raise serializers.ValidationError({"status": exc.messages}) from exc
        return Response(self.get_serializer(decided).data)

    @extend_schema(request=None, responses=SlipSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Any, pk: str | None = None) -> Response:
        return self._decide(slip_approve)

    @extend_schema(request=None, responses=SlipSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Any, pk: str | None = None) -> Response:
        return self._decide(slip_reject)
