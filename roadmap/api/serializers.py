"""Shapes of roadmap objects in the API. Serializers check types; rules live in the services."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from core.api import ScopedRelations
from core.rows import date_text, datetime_text
from roadmap.models import (
    CheckIn,
    Initiative,
    InitiativeDecision,
    InitiativeDepartment,
    InitiativeExpectation,
    InitiativeSegment,
    Meeting,
    Pledge,
    Roadmap,
    Task,
)
from roadmap.selectors import (
    budget_line_choices,
    check_in_choices,
    initiative_choices,
    initiative_pool_choices,
    meeting_choices,
    pledge_choices,
    task_choices,
)

User = get_user_model()
LINKS_ON_CREATE_ONLY = "Set on create; later changes are made in the admin."


class RoadmapSerializer(serializers.ModelSerializer):
    class Meta:
        model = Roadmap
        fields = ["id", "name", "period_start", "period_end", "status"]


class InitiativeDepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InitiativeDepartment
        fields = ["department", "budget"]
        extra_kwargs = {"budget": {"min_value": 0}}


class InitiativeSegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InitiativeSegment
        fields = ["segment", "customers"]
        extra_kwargs = {"customers": {"min_value": 1}}


class InitiativeExpectationSerializer(serializers.ModelSerializer):
    """A metric the initiative should move: the expected value (within the metric's range) by a date."""

    class Meta:
        model = InitiativeExpectation
        fields = ["metric", "expected_value", "by_date"]

    def validate(self, attrs: dict) -> dict:
        error = attrs["metric"].range_error(attrs["expected_value"])
        if error:
            raise serializers.ValidationError({"expected_value": [error]})
        return attrs


def _unique(value: list[dict], key: str, message: str) -> list[dict]:
    ids = [row[key].pk for row in value]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(message)
    return value


class InitiativeSerializer(ScopedRelations, serializers.ModelSerializer):
    """`departments`: each department involved and the budget it puts in (written on create only).

    The customer case: `segments`, `loss_reasons`, `expectations` and `profit_at_stake`; each list
    given replaces the one there was. `proposal` moves only through the proposal actions.
    """

    departments = InitiativeDepartmentSerializer(many=True, source="department_links", required=False)
    segments = InitiativeSegmentSerializer(many=True, source="segment_links", required=False)
    expectations = InitiativeExpectationSerializer(many=True, required=False)

    class Meta:
        model = Initiative
        fields = ["id", "roadmap", "title", "outcome", "owner", "departments", "metrics", "start_date", "end_date"]
        fields += ["status", "health", "segments", "loss_reasons", "expectations", "profit_at_stake"]
        fields += ["proposal", "drafted_by", "pooled_into", "version", "created_at", "updated_at"]
        read_only_fields = ["proposal", "drafted_by", "pooled_into", "version", "created_at", "updated_at"]
        extra_kwargs = {"profit_at_stake": {"min_value": 0}}
        # The unique (roadmap, title) check is the service's (full_clean): one place, one message.
        validators: list = []
        choices = staticmethod(initiative_choices)

    def validate_departments(self, value: list[dict]) -> list[dict]:
        if self.instance is not None:
            raise serializers.ValidationError(LINKS_ON_CREATE_ONLY)
        ids = [link["department"].pk for link in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Each department may appear once.")
        return value

    def validate_metrics(self, value: list) -> list:
        if self.instance is not None:
            raise serializers.ValidationError(LINKS_ON_CREATE_ONLY)
        return value

    def validate_segments(self, value: list[dict]) -> list[dict]:
        return _unique(value, "segment", "Each segment may appear once.")

    def validate_expectations(self, value: list[dict]) -> list[dict]:
        return _unique(value, "metric", "Each metric may appear once.")


class InitiativeDecisionSerializer(serializers.ModelSerializer):
    """One step of a proposal: who proposed, approved or sent it back, when, and why."""

    class Meta:
        model = InitiativeDecision
        fields = ["id", "initiative", "action", "by", "proposer", "reason", "at"]
        read_only_fields = fields


class SendBackSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why it goes back to the drawing board.")


class BudgetLineSerializer(ScopedRelations, serializers.ModelSerializer):
    """A department's budget line on an initiative and what it is for; its period is the initiative's dates."""

    class Meta:
        model = InitiativeDepartment
        fields = ["id", "initiative", "department", "budget", "metrics", "loss_reasons", "segments"]
        extra_kwargs = {"budget": {"min_value": 0}}
        # The unique (initiative, department) check is the service's (full_clean): one place, one message.
        validators: list = []
        choices = staticmethod(budget_line_choices)


class InitiativePoolSerializer(ScopedRelations, serializers.Serializer):
    """`source`: the initiative whose spending moves into this one (then cancelled, marked pooled)."""

    source = serializers.PrimaryKeyRelatedField(queryset=Initiative.objects.all())

    class Meta:
        choices = staticmethod(initiative_pool_choices)


class PledgeSerializer(ScopedRelations, serializers.ModelSerializer):
    """One person a department pledges to an initiative, and their hours a month."""

    class Meta:
        model = Pledge
        fields = ["id", "initiative", "department", "person", "hours_per_month", "created_at"]
        read_only_fields = ["created_at"]
        # The unique (initiative, person) check is the service's (full_clean): one place, one message.
        validators: list = []
        choices = staticmethod(pledge_choices)


class MeetingSerializer(ScopedRelations, serializers.ModelSerializer):
    """A task-force meeting that took place, with the ids of who attended."""

    class Meta:
        model = Meeting
        fields = ["id", "initiative", "date", "title", "attendees", "created_at"]
        read_only_fields = ["created_at"]
        choices = staticmethod(meeting_choices)


class TaskSerializer(ScopedRelations, serializers.ModelSerializer):
    """A task with the ids of the tasks it depends on (its hand-offs when across departments).

    `promised_date` is the promise (first committed due date) and `slip_count` its approved
    slips. Moving the due date of a started task needs `slip_reason` (write-only).
    """

    slip_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="Why the due date moves (a slip)."
    )

    class Meta:
        model = Task
        fields = ["id", "initiative", "department", "title", "description", "owner", "due_date"]
        fields += ["promised_date", "slip_count", "slip_reason"]
        fields += ["allow_outside_initiative_dates", "status", "status_changed_at", "percent_complete"]
        fields += ["completed_at", "depends_on", "version", "created_at", "updated_at"]
        read_only_fields = ["status_changed_at", "completed_at", "version", "created_at", "updated_at"]
        read_only_fields += ["promised_date", "slip_count"]
        choices = staticmethod(task_choices)

    def to_representation(self, task: Task) -> dict:
        """The same output as DRF's generic path (a test holds them equal), several times faster.

        Lists are the hot path (integrations poll them): they read rows, not model objects
        (`task_row_representation`); one object is read through the same function.
        """
        depends_on = getattr(task, "dependency_ids", None)
        if depends_on is None:
            depends_on = sorted(t.pk for t in task.depends_on.all())
        row = tuple(getattr(task, name) for name in TASK_ROW_FIELDS)
        return task_row_representation(row, depends_on=depends_on, zone=timezone.get_current_timezone())


# A task's columns as a list reads them (`driver_rows(tasks, *TASK_ROW_FIELDS)`: the driver's
# values, naive UTC datetimes on SQLite), in the order of task_row_representation's output;
# `depends_on` comes from one query for the whole page.
TASK_ROW_FIELDS = ("id", "initiative_id", "department_id", "title", "description", "owner_id", "due_date")
TASK_ROW_FIELDS += ("promised_date", "slip_count", "allow_outside_initiative_dates", "status", "status_changed_at")
TASK_ROW_FIELDS += ("percent_complete", "completed_at", "version", "created_at", "updated_at")


def task_row_representation(row: tuple, *, depends_on: list[int], zone: dt.tzinfo) -> dict:
    """TaskSerializer's output for one row of TASK_ROW_FIELDS: plain reads, no model object.

    Takes a model's values or the driver's (core/rows.py): on SQLite, datetimes naive in UTC."""
    (pk, initiative, department, title, description, owner, due, promised, slips, outside, status) = row[:11]
    (status_changed_at, percent, completed_at, version, created_at, updated_at) = row[11:]
    return {
        "id": pk,
        "initiative": initiative,
        "department": department,
        "title": title,
        "description": description,
        "owner": owner,
        "due_date": date_text(due),
        "promised_date": date_text(promised),
        "slip_count": slips,
        "allow_outside_initiative_dates": outside,
        "status": status,
        "status_changed_at": datetime_text(status_changed_at, zone),
        "percent_complete": percent,
        "completed_at": datetime_text(completed_at, zone),
        "depends_on": depends_on,
        "version": version,
        "created_at": datetime_text(created_at, zone),
        "updated_at": datetime_text(updated_at, zone),
    }


class CheckInSerializer(ScopedRelations, serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "task", "author", "date", "note", "percent_complete", "confidence", "created_at"]
        read_only_fields = ["author", "created_at"]
        extra_kwargs = {"date": {"required": False}}
        choices = staticmethod(check_in_choices)


class TopLossReasonSerializer(serializers.Serializer):
    """One of a period's top loss reasons, with its owner and the active initiatives addressing it."""

    rank = serializers.IntegerField()
    reason = serializers.IntegerField(source="reason.pk")
    name = serializers.CharField(source="reason.name")
    department = serializers.IntegerField(source="reason.department_id", allow_null=True, help_text="null: no owner")
    lost = serializers.IntegerField(help_text="Customers lost for this reason in the period.")
    profit_lost = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.DecimalField(max_digits=5, decimal_places=1, help_text="Of all customers lost, in %.")
    initiatives = serializers.SerializerMethodField(help_text="Ids of the active initiatives addressing it.")
    no_active_initiative = serializers.SerializerMethodField()

    def get_initiatives(self, row) -> list[int]:
        return [initiative.pk for initiative in row.initiatives]

    def get_no_active_initiative(self, row) -> bool:
        return not row.initiatives
