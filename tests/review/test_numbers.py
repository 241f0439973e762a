"""How figures are written on the review pages and in the exports (review/numbers.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template

from accountability.models import ScorecardLine
from customers.models import Metric
from review import numbers

DASH = numbers.DASH


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("895115.76000000000"), 2, "895,115.76"),
        (Decimal("1234567.891"), 2, "1,234,567.89"),
        (Decimal("60.0000"), 2, "60"),
        (Decimal("0.005"), 2, "0.01"),  # half up, not to even
        (Decimal("-0.0001"), 2, "0"),  # no "-0"
        (12, 2, "12"),
        (2.675, 2, "2.68"),  # the float's shortest repr, not its binary value 2.67499…
        ("4594.0000", 0, "4,594"),
        (None, 2, DASH),
        ("", 2, DASH),
        ("n/a", 2, DASH),
        (float("nan"), 2, DASH),
        (Decimal("1e30"), 2, "1,000,000,000,000,000,000,000,000,000,000"),
    ],
)
def test_number_groups_thousands_and_drops_trailing_zeros(value, places, expected):
    assert numbers.number(value, places) == expected


def test_fixed_number_keeps_its_places():
    assert numbers.number(Decimal(60), 2, fixed=True) == "60.00"


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (Decimal("895115.76000000000"), "GBP", "£895,115.76"),
        (Decimal("-778.63"), "GBP", "-£778.63"),
        (Decimal("-0.001"), "GBP", "£0.00"),
        (Decimal(5), "EUR", "€5.00"),
        (Decimal(5), "usd", "$5.00"),
        (Decimal("-1200"), "CHF", "CHF -1,200.00"),
        (None, "GBP", DASH),
    ],
)
def test_money_is_written_in_its_currency_with_two_decimals(value, currency, expected):
    assert numbers.money(value, currency) == expected


def test_money_uses_the_currency_setting(settings):
    settings.CCO_CURRENCY = "EUR"
    assert numbers.money(Decimal("895115.76")) == "€895,115.76"
    settings.CCO_CURRENCY = "SEK"
    assert numbers.money(Decimal("895115.76")) == "SEK 895,115.76"


def test_percentages_scores_changes_and_counts():
    assert numbers.percent(Decimal("77.94")) == "77.9 %"
    assert numbers.percent(Decimal("0.7794"), fraction=True) == "77.9 %"
    assert numbers.percent(75) == "75.0 %"
    assert numbers.percent(None) == DASH
    assert numbers.score(Decimal("81.94")) == "81.9" and numbers.score(100) == "100.0" and numbers.score(None) == DASH
    assert [numbers.change(v) for v in (Decimal("4.5"), Decimal(-10), 0, None)] == ["+4.5", "-10.0", "0.0", DASH]
    assert numbers.count(4594) == "4,594" and numbers.count(Decimal("-8.0000")) == "-8" and numbers.count(None) == DASH


def test_dates_are_iso_and_moments_are_dated_in_the_organisations_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    assert numbers.day(dt.date(2026, 9, 30)) == "2026-09-30"
    assert numbers.day(dt.date(1, 1, 1)) == "0001-01-01" and numbers.day(dt.date(9999, 12, 31)) == "9999-12-31"
    assert numbers.day(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == "2026-07-01"  # 00:30 in London
    assert numbers.day(None) == DASH


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("77.9412"), "%", "77.9 %"),
        (Decimal("895115.7600"), "GBP", "£895,115.76"),
        (Decimal("895115.7600"), "£", "£895,115.76"),
        (Decimal("4594.0000"), "customers", "4,594 customers"),
        (Decimal("4.8283"), "per 1,000", "4.83 per 1,000"),
        (Decimal("12.5000"), "", "12.5"),
        (None, "%", DASH),
    ],
)
def test_a_metric_value_has_the_precision_its_unit_calls_for(value, unit, expected):
    assert numbers.metric_value(value, unit) == expected


def _line(part, value, unit=None):
    metric = Metric(pk=1, code="m", name="M", unit=unit) if unit is not None else None
    return ScorecardLine(part=part, value=value, metric=metric)


@pytest.mark.parametrize(
    ("part", "value", "unit", "expected"),
    [
        ("delivery", Decimal("0.7794"), None, "77.9 %"),
        ("overall", Decimal("-3.2000"), None, "-3.2"),
        ("growth", Decimal("-1.0000"), None, "-1"),
        ("segment", Decimal("1200.0000"), None, "1,200"),
        ("loss_reason", Decimal("6.0000"), None, "6"),
        ("metric", Decimal("895115.7600"), "GBP", "£895,115.76"),
        ("breakdown", Decimal("80991.7900"), "GBP", "£80,991.79"),
        ("check", Decimal("3.0000"), "customers", "3 customers"),
        ("metric", None, "%", DASH),
    ],
)
def test_a_scorecard_lines_value_is_written_as_its_part_means_it(part, value, unit, expected):
    assert numbers.line_value(_line(part, value, unit)) == expected


def test_line_inputs_are_written_like_the_figures_around_them():
    line = _line("metric", Decimal(1), "%")
    write = numbers.line_input
    assert write(line, "revenue_gained", "2595.43000000000") == "£2,595.43"
    assert write(line, "share", "0.6667") == "66.7 %" and write(line, "retention_rate", "0.95") == "95.0 %"
    assert write(line, "target", "80") == "80.0 %" and write(line, "previous", "61.25") == "61.3"
    assert write(line, "readings", 12) == "12" and write(line, "metric", "fcr") == "fcr"
    assert write(line, "dropped", ["Delivery", "NPS"]) == "Delivery, NPS" and write(line, "dropped", []) == "none"
    assert write(line, "all_departments", False) == "no" and write(line, "value", None) == DASH


def test_the_template_filters_are_the_same_functions():
    owner = User(username="ada", first_name="Ada", last_name="Lovelace")
    html = Template(
        "{% load review %}{{ m|money }}|{{ p|percent }}|{{ s|score }}|{{ c|count }}|{{ d|day }}|"
        '{{ owner|person }}|{{ nobody|person:"no owner" }}|{{ missing.attribute|money }}'
    ).render(
        Context({"m": Decimal("895115.76"), "p": 77.94, "s": 5, "c": 1000, "d": dt.date(2026, 9, 30), "owner": owner})
    )
    assert html == f"£895,115.76|77.9 %|5.0|1,000|2026-09-30|Ada Lovelace|no owner|{DASH}"
