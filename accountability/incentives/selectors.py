"""Reads of variable pay: each plan's customer share and its conflicts (docs/domain.md, Incentive).

Customer share = weight of the metrics about customers ÷ all weights. A conflict is a pair of
metrics marked as pulling against each other that are both in the plan with a weight above 0.
The company's share is the mean of the departments' shares (each department counts once: weights
are relative within a plan). Three queries, whatever the number of plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from accountability.models import MetricConflict, PayPlan
from customers.models import Metric
from org.models import Department


@dataclass(frozen=True)
class Pay:
    plan: PayPlan
    customer_share: Decimal | None  # 0..1
    conflicts: list[tuple[Metric, Metric]]

    @property
    def who(self) -> str:
        return self.plan.department.name if self.plan.department_id else self.plan.role

    def conflict_sentences(self) -> list[str]:
        return [
            f"{self.who} is paid on {a.name} and on {b.name}, which pull against each other." for a, b in self.conflicts
        ]


def pay_plan_list() -> QuerySet[PayPlan]:
    return PayPlan.objects.select_related("department").prefetch_related("weights__metric")


def _pay(plan: PayPlan, conflicts: list[MetricConflict]) -> Pay:
    weights = [w for w in plan.weights.all() if w.weight > 0]
    total = sum((w.weight for w in weights), Decimal(0))
    customer = sum((w.weight for w in weights if w.metric.about_customers), Decimal(0))
    share = (customer / total).quantize(Decimal("0.0001"), ROUND_HALF_UP) if total else None
    paid = {w.metric_id: w.weight for w in weights}
    pairs = []
    for c in conflicts:
        if {c.metric_a_id, c.metric_b_id} <= paid.keys():
            # The heavier-paid metric first: "paid on talk time and on first-contact resolution".
            pairs.append(tuple(sorted((c.metric_a, c.metric_b), key=lambda m: (-paid[m.pk], m.name))))
    return Pay(plan, share, pairs)


def pay_review(*, department_id: int | None = None) -> list[Pay]:
    """Every pay plan with its customer share and conflicts: departments by name, then roles.

    With `department_id`, only that department's plan (a department's page shows no other).
    """
    conflicts = list(MetricConflict.objects.select_related("metric_a", "metric_b"))
    plans = pay_plan_list() if department_id is None else pay_plan_list().filter(department_id=department_id)
    return [_pay(plan, conflicts) for plan in plans]


def pay_company_share(*, pays: list[Pay]) -> Decimal | None:
    shares = [p.customer_share for p in pays if p.plan.department_id and p.customer_share is not None]
    if not shares:
        return None
    return (sum(shares, Decimal(0)) / len(shares)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def pay_plan_choices(*, user, instance: PayPlan | None) -> dict[str, QuerySet]:
    """Pay plans are CCO staff's: any department, any metric (customer or not)."""
    return {"department": Department.objects.all(), "weights.metric": Metric.objects.all()}


def metric_conflict_choices(*, user, instance: MetricConflict | None) -> dict[str, QuerySet]:
    return {"metric_a": Metric.objects.all(), "metric_b": Metric.objects.all()}
