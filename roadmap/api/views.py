"""Roadmap endpoints: querysets from the selectors, writes through the services."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import (
    VERSIONED_SCHEMA,
    WRITE_METHODS,
    CountedPageNumberPagination,
    FastJSONRenderer,
    VersionedObjectMixin,
)
from core.periods import Period
from core.rows import driver_rows
from org.permissions import CCOStaffWrites, SignedIn
from roadmap import proposals, selectors, services, task_force
from roadmap.api import filters, permissions
from roadmap.api.participation import ParticipationSerializer
from roadmap.api.serializers import (
    TASK_ROW_FIELDS,
    BudgetLineSerializer,
    CheckInSerializer,
    InitiativeDecisionSerializer,
    InitiativePoolSerializer,
    InitiativeSerializer,
    MeetingSerializer,
    PledgeSerializer,
    RoadmapSerializer,
    SendBackSerializer,
    TaskSerializer,
    TopLossReasonSerializer,
    task_row_representation,
)
from roadmap.participation import initiative_participation


class RoadmapViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoadmapSerializer
    filterset_fields = ["status"]
    search_fields = ["name"]
    ordering_fields = ["period_start", "name", "id"]

    def get_queryset(self) -> Any:
        return selectors.roadmap_list()


def _case(data: dict) -> dict:
    """The customer case's parts of validated data, as the proposal services take them."""
    case = {}
    if "segment_links" in data:
        case["segments"] = [(row["segment"], row["customers"]) for row in data.pop("segment_links")]
    if "expectations" in data:
        rows = data.pop("expectations")
        case["expectations"] = [(row["metric"], row["expected_value"], row["by_date"]) for row in rows]
    if "loss_reasons" in data:
        case["loss_reasons"] = data.pop("loss_reasons")
    return case


@VERSIONED_SCHEMA
class InitiativeViewSet(VersionedObjectMixin, viewsets.ModelViewSet):
    """Customer priorities. CCO staff and heads draft them; CCO staff change them, a head their own drafts;
    proposals are proposed, approved and sent back through the actions below (docs/api.md)."""

    serializer_class = InitiativeSerializer
    permission_classes = [permissions.InitiativeWrites]
    filterset_class = filters.InitiativeFilter
    search_fields = ["title", "outcome"]
    ordering_fields = ["start_date", "end_date", "title", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        case = ["metrics", "loss_reasons", "segment_links", "expectations"]
        return selectors.initiative_list().prefetch_related(*case)

    def get_serializer_class(self) -> Any:
        return {"send_back": SendBackSerializer, "decisions": InitiativeDecisionSerializer}.get(
            self.action, InitiativeSerializer
        )

    def perform_create(self, serializer: InitiativeSerializer) -> None:
        data = dict(serializer.validated_data)
        links = data.pop("department_links", [])
        departments = {link["department"]: link.get("budget", 0) for link in links}
        case = _case(data)
        initiative = proposals.initiative_draft(
            drafted_by=self.request.user, departments=departments, metrics=data.pop("metrics", []), **case, **data
        )
        serializer.instance = self.get_queryset().get(pk=initiative.pk)

    def versioned_update(self, instance: Any, version: int | None, data: dict) -> Any:
        data = dict(data)
        case = _case(data)
        return proposals.initiative_revise(initiative=instance, expected_version=version, **case, **data)

    def _decided(self, decision: Any) -> Response:
        fresh = self.get_queryset().get(pk=decision.initiative_id)
        return Response(InitiativeSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        """Propose a draft (or one sent back) to CCO staff: 400 naming what the customer case lacks."""
        initiative = self.get_object()
        if not selectors.initiative_proposable_by(initiative=initiative, user=request.user):
            raise PermissionDenied(permissions.NOT_PROPOSABLE_BY_YOU)
        return self._decided(proposals.initiative_propose(initiative=initiative, by=request.user))

    @extend_schema(request=None, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a proposal (CCO staff): it goes on the roadmap, active, and its proposer is told."""
        initiative = self.get_object()
        if not selectors.initiative_decidable_by(user=request.user):
            raise PermissionDenied(permissions.ONLY_CCO_DECIDES)
        return self._decided(proposals.initiative_approve(initiative=initiative, by=request.user))

    @extend_schema(request=SendBackSerializer, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str | None = None) -> Response:
        """Send a proposal back to the drawing board with the reason (CCO staff); its proposer is told."""
        initiative = self.get_object()
        if not selectors.initiative_decidable_by(user=request.user):
            raise PermissionDenied(permissions.ONLY_CCO_DECIDES)
        serializer = SendBackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._decided(proposals.initiative_send_back(initiative=initiative, by=request.user, reason=reason))

    @extend_schema(responses=InitiativeDecisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def decisions(self, request: Request, pk: str | None = None) -> Response:
        """The proposal's steps, newest first: who proposed, approved or sent it back, when and why."""
        initiative = self.get_object()
        decisions = selectors.initiative_decisions(initiative=initiative)
        return Response(InitiativeDecisionSerializer(decisions, many=True).data)

    @extend_schema(responses=ParticipationSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def participation(self, request: Request, pk: str | None = None) -> Response:
        """The task force's participation per month: pledged people, those who took part, the rate, faded."""
        return Response(ParticipationSerializer(initiative_participation(initiative=self.get_object())).data)

    @action(detail=True, methods=["post"], serializer_class=InitiativePoolSerializer)
    def pool(self, request: Request, pk: str | None = None) -> Response:
        """Pool `source`'s spending into this initiative (CCO staff): duplicate spending made one."""
        target = self.get_object()
        serializer = InitiativePoolSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.initiatives_pool(target=target, source=serializer.validated_data["source"])
        return Response(InitiativeSerializer(self.get_queryset().get(pk=target.pk)).data)


class BudgetLineViewSet(viewsets.ModelViewSet):
    """Each department's budget line on an initiative and what it is for; CCO staff change them."""

    serializer_class = BudgetLineSerializer
    permission_classes = [CCOStaffWrites]
    filterset_fields = ["initiative", "department"]
    ordering_fields = ["budget", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        return selectors.budget_line_list().order_by("initiative_id", "department_id")

    def perform_create(self, serializer: BudgetLineSerializer) -> None:
        line = services.budget_line_create(**serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=line.pk)

    def perform_update(self, serializer: BudgetLineSerializer) -> None:
        line = services.budget_line_update(line=serializer.instance, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=line.pk)


@VERSIONED_SCHEMA
class TaskViewSet(VersionedObjectMixin, viewsets.ModelViewSet):
    """Tasks the reader may see; changes as the roles allow (see docs/api.md)."""

    serializer_class = TaskSerializer
    permission_classes = [permissions.TaskWrites]
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]  # no floats in a task
    pagination_class = CountedPageNumberPagination  # lists are rows (values_list): one query, not two
    filterset_class = filters.TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "status", "percent_complete", "title", "id"]
    http_method_names = WRITE_METHODS
    _tasks = None  # this request's get_queryset()

    def get_queryset(self) -> Any:
        # Built once a request (a view serves one): the permission check asks for it too, for its
        # model, and a head's visibility filter is a tenth of a millisecond of the ORM's each time.
        # A copy each call, so that no caller's rows are kept for another.
        if self._tasks is None:
            # The serializer writes ids only: the selector's joins would build three objects per row for nothing.
            self._tasks = selectors.task_list(user=self.request.user).select_related(None)
        return self._tasks.all()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The hot path (integrations poll it): the page's rows as the driver returns them, not model
        objects nor converted values (core/rows.py), with the dependency ids of the whole page from
        one query; the same output as one task's (a test holds it, on SQLite and PostgreSQL)."""
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(driver_rows(queryset, *TASK_ROW_FIELDS))  # always a page: on for every list
        depends = selectors.task_dependency_ids(task_ids=[row[0] for row in rows])
        zone = timezone.get_current_timezone()
        data = [task_row_representation(row, depends_on=depends[row[0]], zone=zone) for row in rows]
        return self.get_paginated_response(data)

    def perform_create(self, serializer: TaskSerializer) -> None:
        # Which initiative, department, owner and hand-offs one may name: the serializer's choices.
        data = dict(serializer.validated_data)
        data.pop("slip_reason", None)  # a new task has no promise yet, so nothing to slip
        task = services.task_create(depends_on=data.pop("depends_on", []), **data)
        serializer.instance = self.get_queryset().get(pk=task.pk)

    def versioned_update(self, instance: Any, version: int | None, data: dict) -> Any:
        data = dict(data)
        depends_on = data.pop("depends_on", None)
        reason = data.pop("slip_reason", "")
        return services.task_update(
            task=instance,
            expected_version=version,
            depends_on=depends_on,
            by=self.request.user,
            slip_reason=reason,
            **data,
        )


class CheckInViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress notes; added by CCO staff, the task's department head or its owner. A record: no edits."""

    serializer_class = CheckInSerializer
    permission_classes = [permissions.CheckInWrites]
    filterset_class = filters.CheckInFilter
    search_fields = ["note"]
    ordering_fields = ["date", "id"]

    def get_queryset(self) -> Any:
        return selectors.check_in_list(user=self.request.user)

    def perform_create(self, serializer: CheckInSerializer) -> None:
        # Only tasks one may add check-ins to can be named: the serializer's choices.
        data = serializer.validated_data
        serializer.instance = services.check_in_create(author=self.request.user, **data)


class PledgeViewSet(viewsets.ModelViewSet):
    """Who each department pledged to an initiative, and the hours; CCO staff and the department's head change them."""

    serializer_class = PledgeSerializer
    permission_classes = [permissions.PledgeWrites]
    filterset_fields = ["initiative", "department", "person"]
    ordering_fields = ["hours_per_month", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        return selectors.pledge_list().select_related(None).order_by("initiative_id", "department_id", "id")

    def perform_create(self, serializer: PledgeSerializer) -> None:
        serializer.instance = task_force.pledge_create(**serializer.validated_data)

    def perform_update(self, serializer: PledgeSerializer) -> None:
        serializer.instance = task_force.pledge_update(pledge=serializer.instance, **serializer.validated_data)


class MeetingViewSet(viewsets.ModelViewSet):
    """Task-force meetings and who attended; CCO staff record them."""

    serializer_class = MeetingSerializer
    permission_classes = [CCOStaffWrites]
    filterset_fields = ["initiative", "date"]
    ordering_fields = ["date", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        return selectors.meeting_list().select_related(None).order_by("-date", "-id")

    def perform_create(self, serializer: MeetingSerializer) -> None:
        serializer.instance = task_force.meeting_create(**serializer.validated_data)

    def perform_update(self, serializer: MeetingSerializer) -> None:
        serializer.instance = task_force.meeting_update(meeting=serializer.instance, **serializer.validated_data)


LIMIT_INVALID = "Enter a whole number from 1 to 50."


class TopLossReasonViewSet(viewsets.ViewSet):
    """A period's top loss reasons: customers and profit lost, the accountable department, the work on them."""

    permission_classes = [SignedIn]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-Q3 or 2026-07; default: the current quarter"),
            OpenApiParameter("limit", int, description="How many reasons, 1 to 50; default 5"),
        ],
        responses=TopLossReasonSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        text = request.query_params.get("period")
        try:
            period = Period.parse(text) if text else Period.containing(timezone.localdate())
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        limit = request.query_params.get("limit", "5")
        if not limit.isdigit() or not 1 <= int(limit) <= 50:
            raise ValidationError({"limit": [LIMIT_INVALID]})
        rows = selectors.loss_reasons_top(start=period.start, end=period.end, limit=int(limit))
        for row in rows:
            row.share = Decimal(row.share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return Response(TopLossReasonSerializer(rows, many=True).data)
