"""Roadmap endpoints: querysets from the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import VERSIONED_SCHEMA, WRITE_METHODS, VersionedObjectMixin
from org.permissions import CCOStaffWrites
from roadmap import selectors, services, task_force
from roadmap.api import filters, permissions
from roadmap.api.serializers import (
    BudgetLineSerializer,
    CheckInSerializer,
    InitiativePoolSerializer,
    InitiativeSerializer,
    MeetingSerializer,
    PledgeSerializer,
    RoadmapSerializer,
    TaskSerializer,
)


class RoadmapViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RoadmapSerializer
    filterset_fields = ["status"]
    search_fields = ["name"]
    ordering_fields = ["period_start", "name", "id"]

    def get_queryset(self) -> Any:
        return selectors.roadmap_list()


@VERSIONED_SCHEMA
class InitiativeViewSet(VersionedObjectMixin, viewsets.ModelViewSet):
    """Customer priorities; CCO staff create and change them, everyone signed in reads them."""

    serializer_class = InitiativeSerializer
    permission_classes = [CCOStaffWrites]
    filterset_class = filters.InitiativeFilter
    search_fields = ["title", "outcome"]
    ordering_fields = ["start_date", "end_date", "title", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        return selectors.initiative_list().prefetch_related("metrics")

    def perform_create(self, serializer: InitiativeSerializer) -> None:
        data = dict(serializer.validated_data)
        links = data.pop("department_links", [])
        departments = {link["department"]: link.get("budget", 0) for link in links}
        initiative = services.initiative_create(departments=departments, metrics=data.pop("metrics", []), **data)
        serializer.instance = self.get_queryset().get(pk=initiative.pk)

    def versioned_update(self, instance: Any, version: int | None, data: dict) -> Any:
        return services.initiative_update(initiative=instance, expected_version=version, **data)

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
    filterset_class = filters.TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "status", "percent_complete", "title", "id"]
    http_method_names = WRITE_METHODS

    def get_queryset(self) -> Any:
        # The serializer writes ids only: the selector's joins would build three objects per row for nothing.
        return selectors.task_list(user=self.request.user).select_related(None)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # always a page: pagination is on for every list
        depends = selectors.task_dependency_ids(task_ids=[task.pk for task in page])
        for task in page:
            task.dependency_ids = depends[task.pk]
        return page

    def perform_create(self, serializer: TaskSerializer) -> None:
        # Which initiative, department, owner and hand-offs one may name: the serializer's choices.
        data = dict(serializer.validated_data)
        task = services.task_create(depends_on=data.pop("depends_on", []), **data)
        serializer.instance = self.get_queryset().get(pk=task.pk)

    def versioned_update(self, instance: Any, version: int | None, data: dict) -> Any:
        data = dict(data)
        depends_on = data.pop("depends_on", None)
        return services.task_update(task=instance, expected_version=version, depends_on=depends_on, **data)


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
