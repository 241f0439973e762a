"""Metrics, targets, readings, customer movements, recognitions and scorecards endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import VERSIONED_SCHEMA, WRITE_METHODS, VersionedObjectMixin
from core.api_bulk import IDEMPOTENCY_HEADER, bulk_write
from core.throttles import ScopedThrottle
from customers import bulk as bulk_services
from customers import selectors, services
from customers.api import permissions
from customers.api import serializers as s
from customers.api.filters import MovementFilter, ReadingFilter, TargetFilter
from customers.bulk import COMPANY_NOT_WRITABLE, DEPARTMENT_NOT_WRITABLE
from customers.models import CustomerSegment, LossReason, Metric, Target
from org.permissions import CCOStaffWrites

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string per batch. A retry with the same key and body returns the first answer "
    "without writing again; the same key with another body → 422.",
)
BULK_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Nothing written. `{"rows": [{"index": 17, "errors": {"value": ["A valid number is required."]}}]}` '
    'names every bad row (index from 0); `{"rows": ["..."]}` when the body is not a list of 1 to 5,000 rows.',
)


class MetricViewSet(viewsets.ReadOnlyModelViewSet):
    """Metric definitions (kept by CCO staff in the admin)."""

    queryset = Metric.objects.all()
    serializer_class = s.MetricSerializer
    filterset_fields = ["level", "direction", "active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "id"]


class CustomerSegmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CustomerSegment.objects.all()
    serializer_class = s.CustomerSegmentSerializer
    search_fields = ["name", "slug"]
    ordering_fields = ["rank", "name", "id"]


class LossReasonViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Why customers leave. CCO staff make a department accountable for a reason (PATCH `department`)."""

    queryset = LossReason.objects.all()
    serializer_class = s.LossReasonSerializer
    permission_classes = [CCOStaffWrites]
    filterset_fields = ["active", "department"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer: s.LossReasonSerializer) -> None:
        department = serializer.validated_data.get("department", serializer.instance.department)
        serializer.instance = services.loss_reason_assign(reason=serializer.instance, department=department)


@VERSIONED_SCHEMA
class TargetViewSet(VersionedObjectMixin, viewsets.ModelViewSet):
    """Targets per metric, period and department; CCO staff set them, everyone signed in reads them."""

    queryset = Target.objects.select_related("metric", "department")
    serializer_class = s.TargetSerializer
    permission_classes = [CCOStaffWrites]
    filterset_class = TargetFilter
    ordering_fields = ["period_start", "id"]
    http_method_names = WRITE_METHODS

    def perform_create(self, serializer: s.TargetSerializer) -> None:
        serializer.instance = services.target_create(**serializer.validated_data)

    def versioned_update(self, instance: Any, version: int | None, data: dict) -> Any:
        return services.target_update(target=instance, expected_version=version, **data)


class _DataViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Readings and movements: scoped reads, single creates and the bulk feed, per-department writes."""

    permission_classes = [permissions.DataWrites]
    ordering_fields = ["date", "id"]
    throttle_scope = "bulk"  # used only where ScopedThrottle is on: the bulk action

    def perform_create(self, serializer: Any) -> None:
        department = serializer.validated_data.get("department")
        department_id = department.pk if department else None
        if not selectors.department_changeable_for_data(department_id=department_id, user=self.request.user):
            raise PermissionDenied({"department": [DEPARTMENT_NOT_WRITABLE if department else COMPANY_NOT_WRITABLE]})
        serializer.instance = self.create_service(entered_by=self.request.user, **serializer.validated_data)


class ReadingViewSet(_DataViewSet):
    serializer_class = s.ReadingSerializer
    filterset_class = ReadingFilter
    search_fields = ["source"]

    def get_queryset(self) -> Any:
        return selectors.reading_list(user=self.request.user)

    def create_service(self, **fields: Any) -> Any:
        return services.reading_create(**fields)

    @extend_schema(
        request=s.ReadingBulkSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.BulkResultSerializer, 400: BULK_ERRORS, 422: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], throttle_classes=[ScopedThrottle])
    def bulk(self, request: Any) -> Response:
        """Up to 5,000 readings in one request, all or nothing."""
        return bulk_write(
            request,
            endpoint="readings",
            row_serializer=s.ReadingRowSerializer(),
            prepare=bulk_services.readings_bulk_prepare,
            save=lambda objects: bulk_services.readings_bulk_save(readings=objects),
        )


class CustomerMovementViewSet(_DataViewSet):
    serializer_class = s.CustomerMovementSerializer
    filterset_class = MovementFilter
    search_fields = ["note", "source"]

    def get_queryset(self) -> Any:
        return selectors.movement_list(user=self.request.user)

    def create_service(self, **fields: Any) -> Any:
        return services.movement_create(**fields)

    @extend_schema(
        request=s.MovementBulkSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.BulkResultSerializer, 400: BULK_ERRORS, 422: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], throttle_classes=[ScopedThrottle])
    def bulk(self, request: Any) -> Response:
        """Up to 5,000 customer movements in one request, all or nothing."""
        return bulk_write(
            request,
            endpoint="movements",
            row_serializer=s.MovementRowSerializer(),
            prepare=bulk_services.movements_bulk_prepare,
            save=lambda objects: bulk_services.movements_bulk_save(movements=objects),
        )
