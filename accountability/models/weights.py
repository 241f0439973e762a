"""Validation of the overall score's weights, for the admin and ScorecardSettings.clean()."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError

WEIGHT_NEGATIVE = "A weight cannot be negative."
WEIGHTS_ADD_UP_TO_ZERO = (
    "The weights must add up to more than zero (delivery, growth and the active metrics' weights together), "
    "or no overall score can be computed."
)


def scorecard_settings_validate(
    *, delivery_weight: Decimal | None, growth_weight: Decimal | None, metric_weights: Iterable[Decimal] | None = None
) -> None:
    """Refuse negative weights and weights that add up to zero; ValidationError naming the field.

    `metric_weights`: the active metrics' weights; read from the database when not given.
    """
    errors = {}
    for name, weight in (("delivery_weight", delivery_weight), ("growth_weight", growth_weight)):
        if weight is not None and weight < 0:
            errors[name] = WEIGHT_NEGATIVE
    if errors:
        raise ValidationError(errors)
    if metric_weights is None:
        from customers.models import Metric

        metric_weights = Metric.objects.filter(active=True).values_list("weight", flat=True)
    total = (delivery_weight or 0) + (growth_weight or 0) + sum(metric_weights, Decimal(0))
    if total <= 0:
        raise ValidationError({"delivery_weight": WEIGHTS_ADD_UP_TO_ZERO, "growth_weight": WEIGHTS_ADD_UP_TO_ZERO})
