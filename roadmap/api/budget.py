"""Budget by purpose through the API: the same figures as the budget page (`roadmap.budget`).

GET budget/ (totals by department, and department x metric, loss reason and segment) and GET
budget/duplicates/ (duplicate spending, the larger line first). Every role reads; the budget is
the company's, as on the page. The page's "pool them" is POST initiatives/{id}/pool/ (views.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_filters import PeriodQuerySerializer, period_from_query
from roadmap.budget import Budget, Line, budget_get
from roadmap.models import InitiativeDepartment

# No digit limit: a line holds up to 14 digits, and sums of lines hold more.
MONEY = {"max_digits": None, "decimal_places": 2}


class DepartmentTotalSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    name = serializers.CharField(source="department.name")
    in_period = serializers.DecimalField(**MONEY, help_text="Spending in the period.")
    aimed_at_nothing = serializers.DecimalField(**MONEY, help_text="Of which on lines naming no purpose.")

    def to_representation(self, instance: tuple) -> dict:
        department, in_period, aimed_at_nothing = instance
        return super().to_representation(
            {"department": department, "in_period": in_period, "aimed_at_nothing": aimed_at_nothing}
        )


class MatrixRowSerializer(serializers.Serializer):
    department = serializers.IntegerField(source="department.pk")
    name = serializers.CharField(source="department.name")
    cells = serializers.ListField(
        child=serializers.DecimalField(**MONEY, allow_null=True), help_text="One per column; null: none."
    )
    total = serializers.DecimalField(**MONEY, help_text="A line aimed at two columns counts once here.")

    def to_representation(self, instance: tuple) -> dict:
        department, cells, total = instance
        return super().to_representation({"department": department, "cells": cells, "total": total})


class MatrixSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="metric, loss reason or segment.")
    columns = serializers.ListField(child=serializers.CharField())
    rows = MatrixRowSerializer(many=True)
    totals = serializers.ListField(child=serializers.DecimalField(**MONEY), help_text="One per column.")


class BudgetSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    total = serializers.DecimalField(**MONEY)
    departments = DepartmentTotalSerializer(source="by_department", many=True)
    by_purpose = MatrixSerializer(source="matrices", many=True, help_text="Metric, loss reason, segment.")
    duplicates = serializers.SerializerMethodField(help_text="How many pairs budget/duplicates/ lists.")

    def get_duplicates(self, budget: Budget) -> int:
        return len(budget.duplicates)


class BudgetLineSideSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk", help_text="The budget line (budget-lines/{id}/).")
    initiative = serializers.IntegerField(source="line.initiative_id")
    initiative_title = serializers.CharField(source="line.initiative.title")
    department = serializers.IntegerField(source="line.department_id")
    department_name = serializers.CharField(source="line.department.name")
    budget = serializers.DecimalField(source="line.budget", **MONEY)
    in_period = serializers.DecimalField(**MONEY)
    start = serializers.DateField()
    end = serializers.DateField()
    purposes = serializers.SerializerMethodField()

    def get_purposes(self, line: Line) -> list[str]:
        return sorted(f"{kind}: {name}" for kind, _pk, name in line.purposes)


class DuplicateSerializer(serializers.Serializer):
    a = BudgetLineSideSerializer(help_text="The larger line.")
    b = BudgetLineSideSerializer()
    shared = serializers.ListField(child=serializers.CharField(), help_text='"metric: First contact resolution", …')
    overlap_start = serializers.DateField()
    overlap_end = serializers.DateField()
    combined = serializers.DecimalField(**MONEY)
    combined_in_period = serializers.DecimalField(**MONEY)


class DuplicatesSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    duplicates = DuplicateSerializer(many=True)


class BudgetView(APIView):
    """Spending in a period by department, and by department x metric, loss reason and segment."""

    # The groups' model permission to read budget lines applies (org.permissions.SignedIn); reads only,
    # so a write is a 405 before any permission is asked.
    queryset = InitiativeDepartment.objects.none()
    http_method_names = ["get", "head", "options"]

    @extend_schema(parameters=[PeriodQuerySerializer], responses=BudgetSerializer)
    def get(self, request: Any) -> Response:
        return Response(BudgetSerializer(budget_get(period=period_from_query(request))).data)


class BudgetDuplicatesView(APIView):
    """Duplicate spending in a period: pairs of lines side by side, the largest combined budget first."""

    queryset = InitiativeDepartment.objects.none()
    http_method_names = ["get", "head", "options"]

    @extend_schema(parameters=[PeriodQuerySerializer], responses=DuplicatesSerializer)
    def get(self, request: Any) -> Response:
        return Response(DuplicatesSerializer(budget_get(period=period_from_query(request))).data)
