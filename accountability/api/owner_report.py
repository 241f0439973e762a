"""An owner's accountability report through the API (`GET owners/{user_id}/report/?period=`).

The same figures as the page and its CSV (`accountability.owner_report`), for the same readers:
the owner, the heads of the owner's departments, CCO staff and executives (403 for anyone else,
404 for an unknown person, 400 naming `period` for a bad period).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.owner_report import OwnerReport, owner_report_get, owner_report_visible
from core.api_filters import PeriodQuerySerializer, period_from_query
from roadmap.pledge_months import PledgeMonths

NOT_YOURS = "Only the owner, the heads of the owner's departments, CCO staff and executives see this report."
NOT_FOUND = "No such person."
RATE = {"max_digits": 5, "decimal_places": 4, "allow_null": True}


class DeliverySerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="Tasks due in the period (cancelled ones left out).")
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Open and past due on `today`.")
    pending = serializers.IntegerField(help_text="Not yet due.")
    blocked = serializers.IntegerField()
    stale = serializers.IntegerField(help_text="No check-in for `stale_days` days.")
    on_time_rate = serializers.DecimalField(**RATE, help_text="0 to 1; null: nothing due.")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    promised = serializers.IntegerField(help_text="Promises falling in the period.")
    kept = serializers.IntegerField()
    say_do_rate = serializers.DecimalField(**RATE)
    slips = serializers.IntegerField()
    slip_days = serializers.IntegerField()
    average_slip = serializers.DecimalField(max_digits=None, decimal_places=1, allow_null=True)


class HandOffsSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="Hand-offs the owner gives that fall due in the period.")
    on_time = serializers.IntegerField()
    rate = serializers.DecimalField(**RATE)


class ParticipationTotalSerializer(serializers.Serializer):
    pledges = serializers.IntegerField()
    pledge_months = serializers.IntegerField()
    took_part = serializers.IntegerField(help_text="Pledge-months taken part in.")
    rate = serializers.DecimalField(**RATE)


class OwnerPledgeSerializer(serializers.Serializer):
    pledge = serializers.IntegerField(source="pledge.pk")
    initiative = serializers.IntegerField(source="pledge.initiative_id")
    initiative_title = serializers.CharField(source="pledge.initiative.title")
    department = serializers.IntegerField(source="pledge.department_id")
    department_name = serializers.CharField(source="pledge.department.name")
    hours_per_month = serializers.DecimalField(source="pledge.hours_per_month", max_digits=6, decimal_places=1)
    months = serializers.SerializerMethodField(help_text="Months pledged in the period.")
    took_part = serializers.SerializerMethodField(help_text="Months taken part in.")

    def get_months(self, item: PledgeMonths) -> int:
        return len(item.months)

    def get_took_part(self, item: PledgeMonths) -> int:
        return len(item.took_part)


class RecognitionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    giver = serializers.IntegerField(source="giver_id")
    task = serializers.IntegerField(source="task_id", allow_null=True)
    initiative = serializers.IntegerField(source="initiative_id", allow_null=True)
    metric = serializers.IntegerField(source="metric_id", allow_null=True)
    note = serializers.CharField()


class MetricRowSerializer(serializers.Serializer):
    metric = serializers.IntegerField(source="metric.pk")
    name = serializers.CharField(source="metric.name")
    initiatives = serializers.ListField(child=serializers.CharField(), help_text="The owner's initiatives moving it.")
    company_value = serializers.DecimalField(source="line.value", max_digits=20, decimal_places=4, allow_null=True)
    company_score = serializers.DecimalField(source="line.score", max_digits=6, decimal_places=2, allow_null=True)
    colour = serializers.CharField(source="line.colour", allow_null=True, help_text="null: no company scorecard line.")


class OwnerReportSerializer(serializers.Serializer):
    owner = serializers.IntegerField(source="owner.pk")
    period = serializers.CharField(source="period.label")
    today = serializers.DateField(source="figures.today", help_text="The day overdue is counted on.")
    stale_days = serializers.IntegerField(source="figures.stale_days")
    delivery = DeliverySerializer()
    hand_offs = HandOffsSerializer()
    participation = ParticipationTotalSerializer(source="participation_total")
    pledges = OwnerPledgeSerializer(source="participation", many=True)
    recognitions = RecognitionRowSerializer(many=True)
    metrics = MetricRowSerializer(many=True)


class OwnerReportView(APIView):
    """An owner's accountability report for a period (default: the current quarter)."""

    model_permissions = False  # who reads it is the report's own rule (owner_report_visible), as on the page
    http_method_names = ["get", "head", "options"]

    @extend_schema(parameters=[PeriodQuerySerializer], responses=OwnerReportSerializer)
    def get(self, request: Any, user_id: int) -> Response:
        owner = get_user_model().objects.filter(pk=user_id).first() if user_id <= 2**53 else None
        if owner is None:
            raise exceptions.NotFound(NOT_FOUND)
        if not owner_report_visible(user=request.user, owner=owner):
            raise exceptions.PermissionDenied(NOT_YOURS)
        report: OwnerReport = owner_report_get(owner=owner, period=period_from_query(request))
        return Response(OwnerReportSerializer(report).data)
