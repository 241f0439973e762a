"""Importing the customer case's expected metric values (review/imports.py, kind "expectations").

Columns: initiative (id or title), metric (code), expected_value, by_date; each row adds one
expectation through `roadmap.proposals.initiative_expectation_add`. Who may add to a case may
import it: CCO staff any initiative, a head their own drafts until proposed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from core.resources import CreateOnlyResource, IsoDateWidget, KeyWidget, NumberWidget, field
from customers.models import Metric
from roadmap.case_models import InitiativeExpectation
from roadmap.proposals import initiative_expectation_add
from roadmap.resources import InitiativeWidget
from roadmap.selectors import initiative_changeable_by

NOT_YOUR_INITIATIVE = (
    "You may not change the customer case of {initiative!r}: CCO staff, or its drafter until proposed."
)


class ExpectationResource(CreateOnlyResource):
    """Columns: initiative, metric, expected_value, by_date (all required)."""

    required = ("initiative", "metric", "expected_value", "by_date")
    initiative = field("initiative", InitiativeWidget())
    metric = field("metric", KeyWidget(Metric, "code", "metric"))
    expected_value = field("expected_value", NumberWidget())
    by_date = field("by_date", IsoDateWidget())

    class Meta:
        model = InitiativeExpectation
        fields = ("initiative", "metric", "expected_value", "by_date")
        force_init_instance = True
        skip_diff = True

    def import_instance(self, instance: InitiativeExpectation, row: dict, **kwargs: Any) -> None:
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.initiative_id and not initiative_changeable_by(initiative=instance.initiative, user=self.user):
            errors.setdefault("initiative", []).append(NOT_YOUR_INITIATIVE.format(initiative=instance.initiative.title))
        if not errors:
            try:
                instance.full_clean()  # the metric's range, and a metric the case already expects
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def may_import(self, instance: InitiativeExpectation) -> bool:
        return True  # checked per initiative in import_instance

    def create(self, instance: InitiativeExpectation) -> InitiativeExpectation:
        return initiative_expectation_add(
            initiative=instance.initiative,
            metric=instance.metric,
            expected_value=instance.expected_value,
            by_date=instance.by_date,
        )
