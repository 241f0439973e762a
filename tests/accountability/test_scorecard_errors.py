"""Bad input: unknown departments, owners and periods, mismatched scopes, weights that do not add up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accountability.models import Scorecard, ScorecardSettings
from accountability.scorecards.services import (
    COMPANY_TAKES_NO_SUBJECT,
    DEPARTMENT_REQUIRED,
    NOT_A_PERIOD,
    OWNER_REQUIRED,
    UNKNOWN_DEPARTMENT,
    UNKNOWN_OWNER,
    UNKNOWN_SCOPE,
    WEIGHT_NEGATIVE,
    WEIGHTS_ADD_UP_TO_ZERO,
    ScorecardError,
    period_from_text,
    scorecard_compute,
    scorecard_settings_validate,
    scorecards_compute_period,
)
from core.periods import Period
from org.models import Department
from tests import factories

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")


def test_recomputing_an_unknown_department_is_refused_and_writes_nothing(department):
    with pytest.raises(ScorecardError) as error:
        scorecards_compute_period(period=Q1, department_ids=[department.pk, 999_999])

    assert str(error.value) == UNKNOWN_DEPARTMENT.format(ids=999_999)
    assert not Scorecard.objects.exists()


def test_a_deleted_department_or_owner_is_refused():
    with pytest.raises(ScorecardError, match=UNKNOWN_DEPARTMENT.format(ids=424242)):
        scorecard_compute(period=Q1, scope="department", department=Department(pk=424242))
    ghost = factories.UserFactory.build(pk=525252)
    with pytest.raises(ScorecardError, match=UNKNOWN_OWNER.format(id=525252)):
        scorecard_compute(period=Q1, scope="owner", owner=ghost)
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize(
    ("scope", "with_department", "with_owner", "message"),
    [
        ("company", True, False, COMPANY_TAKES_NO_SUBJECT),
        ("company", False, True, COMPANY_TAKES_NO_SUBJECT),
        ("department", False, False, DEPARTMENT_REQUIRED),
        ("department", True, True, DEPARTMENT_REQUIRED),
        ("owner", False, False, OWNER_REQUIRED),
        ("owner", True, True, OWNER_REQUIRED),
        ("team", False, False, UNKNOWN_SCOPE.format(scope="team")),
    ],
)
def test_a_scope_that_does_not_match_its_subject_is_refused(
    department, owner, scope, with_department, with_owner, message
):
    subject = {"department": department if with_department else None, "owner": owner if with_owner else None}

    with pytest.raises(ScorecardError) as error:
        scorecard_compute(period=Q1, scope=scope, **subject)

    assert str(error.value) == message
    assert not Scorecard.objects.exists()


@pytest.mark.parametrize("text", ["2026-Q5", "Q1", "2026-13", "", "next quarter"])
def test_an_unknown_period_is_refused_with_a_clear_error(text):
    with pytest.raises(ScorecardError) as error:
        period_from_text(text)
    assert str(error.value) == NOT_A_PERIOD.format(value=text)


def test_a_period_must_be_a_period_not_text():
    with pytest.raises(ScorecardError, match="is not a period"):
        scorecards_compute_period(period="2026-Q1")


def test_period_text_gives_the_period():
    assert period_from_text(" 2026-q1 ") == Q1
    assert period_from_text("2026-02") == Period("month", dt.date(2026, 2, 1))


def test_negative_weights_are_refused_naming_the_field():
    with pytest.raises(ValidationError) as error:
        scorecard_settings_validate(delivery_weight=Decimal(-1), growth_weight=Decimal(2), metric_weights=[])
    assert error.value.message_dict == {"delivery_weight": [WEIGHT_NEGATIVE]}


def test_weights_adding_up_to_zero_are_refused_by_the_settings_form():
    factories.MetricFactory(weight=0)
    factories.MetricFactory(weight=1, active=False)  # inactive metrics do not count
    settings = ScorecardSettings(delivery_weight=0, growth_weight=0)

    with pytest.raises(ValidationError) as error:
        settings.full_clean()

    assert error.value.message_dict["delivery_weight"] == [WEIGHTS_ADD_UP_TO_ZERO]


def test_weights_carried_by_a_metric_alone_are_accepted():
    factories.MetricFactory(weight=1)
    ScorecardSettings(delivery_weight=0, growth_weight=0).full_clean()
