"""The one door for writes to variable pay: pay plans with their weights, and metrics that pull against each other."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accountability.models import MetricConflict, PayPlan, PayWeight
from customers.models import Metric

WEIGHTS_SUM_ZERO = "The weights sum to zero: give at least one metric a weight above zero."
WEIGHT_NEGATIVE = "A weight cannot be negative ({metric}: {weight})."
WEIGHT_TWICE = "{metric} appears twice; give it one weight."
CONFLICT_SAME = "Name two different metrics."


def pay_weights_validate(*, weights: Iterable[tuple[Metric, Decimal]]) -> None:
    """Raise a ValidationError on `weights` unless every weight is ≥ 0, each metric once, and the sum is above 0."""
    weights = list(weights)
    seen: set[int] = set()
    for metric, weight in weights:
        if weight < 0:
            raise ValidationError({"weights": WEIGHT_NEGATIVE.format(metric=metric, weight=weight)})
        if metric.pk in seen:
            raise ValidationError({"weights": WEIGHT_TWICE.format(metric=metric)})
        seen.add(metric.pk)
    if sum((w for _, w in weights), Decimal(0)) <= 0:
        raise ValidationError({"weights": WEIGHTS_SUM_ZERO})


@transaction.atomic
def pay_plan_save(
    *, plan: PayPlan | None = None, weights: Iterable[tuple[Metric, Decimal]] | None = None, **fields: Any
) -> PayPlan:
    """Create or change a pay plan; `weights`, when given, replace the plan's. Nothing is saved on an error."""
    plan = PayPlan() if plan is None else PayPlan.objects.select_for_update().get(pk=plan.pk)
    for name, value in fields.items():
        setattr(plan, name, value)
    if weights is not None:
        weights = list(weights)
        pay_weights_validate(weights=weights)
    elif plan.pk is None:
        raise ValidationError({"weights": WEIGHTS_SUM_ZERO})
    plan.full_clean()
    plan.save()
    if weights is not None:
        plan.weights.all().delete()
        PayWeight.objects.bulk_create(PayWeight(plan=plan, metric=m, weight=w) for m, w in weights)
    return plan


@transaction.atomic
def metric_conflict_create(*, metric_a: Metric, metric_b: Metric, why: str = "") -> MetricConflict:
    """Mark two metrics as pulling against each other; the pair is stored in one order, so it is unique."""
    if metric_a.pk == metric_b.pk:
        raise ValidationError({"metric_b": CONFLICT_SAME})
    low, high = sorted((metric_a, metric_b), key=lambda m: m.pk)
    conflict = MetricConflict(metric_a=low, metric_b=high, why=why)
    conflict.full_clean()
    conflict.save()
    return conflict
