"""Check constraints decided in Python (core/constraints.py) answer as the database does."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.constraints import model_constraints_validate
from customers.models import CustomerMovement, Metric
from tests import factories
from tests.api.conftest import token_client


def _errors(check, obj):
    try:
        check(obj)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@pytest.mark.django_db
def test_every_combination_of_a_movement_gets_the_databases_answer():
    reason = factories.LossReasonFactory()
    cases = itertools.product(
        ["lost", "gained", None], [reason.pk, None], [1, 0, -2, None], [Decimal("5"), 0, -1, None]
    )
    checked = 0
    for kind, reason_id, count, revenue in cases:
        movement = CustomerMovement(kind=kind, loss_reason_id=reason_id, count=count, revenue=revenue)
        assert _errors(model_constraints_validate, movement) == _errors(CustomerMovement.validate_constraints, movement)
        checked += 1
    assert checked == 96


@pytest.mark.django_db
def test_a_condition_with_an_f_expression_is_left_to_the_database():
    # Metric's range rule compares two fields: Django's own check decides it.
    bad, good = Metric(min_value=5, max_value=1, weight=1), Metric(min_value=1, max_value=5, weight=1)
    assert isinstance(Metric._meta.constraints[0].condition.children[-1][1], F)
    assert _errors(model_constraints_validate, bad) == {
        "__all__": ["The lowest value cannot be above the highest value."]
    }
    assert _errors(model_constraints_validate, good) == {}


SHAPES = [
    models.CheckConstraint(condition=~Q(count__in=[3, 4]) & Q(note__isnull=False), name="shapes_not_in"),
    models.CheckConstraint(condition=Q(count=None) | Q(count__lt=10, count__gte=0), name="shapes_range"),
    models.CheckConstraint(condition=~(Q(kind="lost") | Q(count__gt=5)), name="shapes_negated_or"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [None, -1, 0, 3, 9, 10])
@pytest.mark.parametrize("note", [None, "a"])
@pytest.mark.parametrize("kind", [None, "lost", "gained"])
def test_negation_in_and_none_follow_sqls_three_valued_logic(monkeypatch, count, note, kind):
    monkeypatch.setattr(CustomerMovement._meta, "constraints", SHAPES)
    movement = CustomerMovement(count=count, note=note, kind=kind)
    assert _errors(model_constraints_validate, movement) == _errors(CustomerMovement.validate_constraints, movement)


@pytest.mark.django_db
def test_a_movements_feed_asks_the_database_the_same_number_of_times_for_10_rows_or_200(cco_staff, department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    segment, reason = factories.CustomerSegmentFactory(), factories.LossReasonFactory()
    base = {"date": "2026-02-01", "segment": segment.pk, "department": department.pk, "count": 3, "kind": "lost"}
    counts = []
    for n in (10, 200):
        rows = [{**base, "loss_reason": reason.pk, "revenue": str(i)} for i in range(n)]
        rows[-1] = dict(base)  # a loss without its reason
        with CaptureQueriesContext(connection) as queries:
            response = token_client(cco_staff).post("/api/v1/movements/bulk/", {"rows": rows}, format="json")
        assert response.status_code == 400
        assert response.json()["rows"] == [
            {
                "index": n - 1,
                "errors": {"non_field_errors": ["A loss needs a loss reason, and a gain has none."]},
            }
        ]
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert CustomerMovement.objects.count() == 0
