"""How the review pages and exports write figures, so a page, its PDF and its CSV agree.

Thousands separators everywhere; money in `settings.CCO_CURRENCY` with 2 decimals; percentages
and scores with 1; dates in ISO (2026-09-30), the form the imports read; an en dash for no value.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

DASH = "\u2013"  # an en dash: "no value"
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
# Scorecard line parts whose value is a number of customers.
COUNT_PARTS = ("growth", "segment", "loss_reason")
# Line input keys that hold money, and those that hold a fraction shown as a percentage.
MONEY_WORDS = ("revenue", "profit", "cost", "budget")
FRACTION_KEYS = (
    "share",
    "on_time_rate",
    "retention_rate",
    "churn_rate",
    "say_do_rate",
    "handoff_rate",
    "participation_rate",
)
# Line input keys that hold a value of the line's metric (in its unit).
METRIC_KEYS = ("value", "target", "amber", "count", "ledger")

Number = Decimal | float | int
WIDE = Context(prec=80)  # room to round any stored or computed figure to cents


def _decimal(value: object) -> Decimal | None:
    """A Decimal of a number or a numeric string; None for anything else (and for NaN or infinity)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, float | str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def number(value: Number | str | None, places: int = 2, *, fixed: bool = False) -> str:
    """1234567.8912 → "1,234,567.89"; up to `places` decimals, trailing zeros dropped unless `fixed`."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=WIDE)
    if not amount:
        amount = abs(amount)  # no "-0.0"
    text = f"{amount:,.{places}f}"
    if not fixed and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def count(value: Number | None) -> str:
    """A number of things: 4594 → "4,594"."""
    if type(value) is int:
        return f"{value:,}"  # the common case, quick enough for the 2,000 cells of a roadmap grid
    return number(value, 0)


def score(value: Number | None) -> str:
    """A 0-100 score: 77.94 → "77.9"."""
    return number(value, 1, fixed=True)


def change(value: Number | None) -> str:
    """A change of score: +4.5, -10.0, 0.0."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    text = score(amount)
    return text if text.startswith("-") or text == "0.0" else f"+{text}"


def percent(value: Number | None, *, fraction: bool = False) -> str:
    """77.94 → "77.9 %"; with `fraction`, 0.7794 → "77.9 %"."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    return f"{number(amount * 100 if fraction else amount, 1, fixed=True)} %"


def money(value: Number | str | None, currency: str | None = None) -> str:
    """895115.76 → "£895,115.76" (GBP), "-£778.63"; a currency without a symbol: "CHF 1,200.00"."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    code = (currency or settings.CCO_CURRENCY).upper()
    text = number(abs(amount), 2, fixed=True)
    negative = amount < 0 and text != "0.00"
    if code in SYMBOLS:
        return f"{'-' if negative else ''}{SYMBOLS[code]}{text}"
    return f"{code} {'-' if negative else ''}{text}"


def day(value: dt.date | dt.datetime | None) -> str:
    """A date as 2026-09-30; a moment as its date in the organisation's time zone."""
    if value is None or value == "":
        return DASH
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def is_money_unit(unit: str) -> bool:
    unit = (unit or "").strip()
    return unit.upper() in SYMBOLS or unit.upper() == settings.CCO_CURRENCY.upper() or unit in SYMBOLS.values()


def metric_value(value: Number | str | None, unit: str = "") -> str:
    """A metric's value in its unit: money 2 decimals, % 1, anything else up to 2 (then its unit)."""
    unit = (unit or "").strip()
    if _decimal(value) is None:
        return DASH
    if unit == "%":
        return percent(value)
    if is_money_unit(unit):
        return money(value, unit.upper() if unit.upper() in SYMBOLS else None)
    return f"{number(value)} {unit}".rstrip()


def line_value(line) -> str:
    """A scorecard line's value as its part means it."""
    if not line or line.value is None:
        return DASH
    if line.part in ("delivery", "say_do", "handoff", "task_force"):
        return percent(line.value, fraction=True)  # the share of due tasks (promises, hand-offs, pledge-months) kept
    if line.part == "overall":
        return change(line.value)  # the change against the previous period
    if line.part in COUNT_PARTS:
        return count(line.value)
    return metric_value(line.value, line.metric.unit if line.metric_id and line.metric else "")


def line_input(line, key: str, value: object) -> str:
    """One of a line's recorded inputs, written like the figures around it."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    if _decimal(value) is None:
        return str(value)
    if any(word in key for word in MONEY_WORDS):
        return money(value)
    if key in FRACTION_KEYS:
        return percent(value, fraction=True)
    if key in METRIC_KEYS and line.metric_id and line.metric:
        return metric_value(value, line.metric.unit)
    if key == "previous":
        return score(value)
    return number(value)
