"""What every part of a computation shares: the period, "now" and "today", the settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Q

from accountability.models import ScorecardSettings
from accountability.models.scorecards import Colour
from core.periods import Period, org_zone

COMPANY = "company"
DEPARTMENT = "department"
OWNER = "owner"

# A subject is (scope, id): (COMPANY, None), (DEPARTMENT, department id) or (OWNER, user id).
Subject = tuple[str, int | None]
COMPANY_SUBJECT: Subject = (COMPANY, None)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
BASIS_POINT = Decimal("0.0001")


@dataclass(frozen=True)
class Context:
    """One computation: which period, the moment it runs and the settings it reads."""

    period: Period
    now: dt.datetime
    settings: ScorecardSettings

    @property
    def today(self) -> dt.date:
        """The organisation's date now: what "overdue" and "stale" are measured against."""
        return self.now.astimezone(org_zone()).date()

    @cached_property
    def previous_label(self) -> str:
        return self.period.previous.label

    @property
    def in_period(self) -> Q:
        return Q(date__gte=self.period.start, date__lte=self.period.end)


@dataclass(frozen=True)
class Selection:
    """Which subjects a computation covers: everything, or some departments, or one owner."""

    department_ids: frozenset[int] | None = None  # None: every department
    owner_id: int | None = None

    def department_q(self, field: str = "department_id") -> Q:
        if self.department_ids is None:
            return Q()
        return Q(**{f"{field}__in": sorted(self.department_ids)})


def settings_for_update() -> ScorecardSettings:
    """The settings row, locked so that two recomputes of a period do not interleave.

    Without a saved row the defaults apply (and SQLite serialises writers anyway).
    """
    row = ScorecardSettings.objects.select_for_update().order_by("pk").first()
    return row or ScorecardSettings()


def band(score: Decimal | None, *, settings: ScorecardSettings) -> str:
    """The overall bands (delivery, growth and overall): green from green_from, amber from amber_from."""
    if score is None:
        return Colour.NONE
    if score >= settings.green_from:
        return Colour.GREEN
    if score >= settings.amber_from:
        return Colour.AMBER
    return Colour.RED


def cents(value: Decimal | None) -> Decimal | None:
    """Scores as stored: two places, halves rounded up (as a person rounds, and as the pages show)."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def basis_points(value: Decimal | None) -> Decimal | None:
    """Line values and rates as stored: four places, halves rounded up like scores."""
    return None if value is None else value.quantize(BASIS_POINT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | float | int | None, places: int = 1, *, grouped: bool = False) -> str:
    """A figure as a machine reads it back (line inputs): 16.666… → "16.7", 60.0 → "60"."""
    if value is None:
        return "none"
    if isinstance(value, int):
        return f"{value:,}" if grouped else str(value)
    if isinstance(value, Decimal):
        # format() rounds halves to even; the stored figures round them up, and the text must agree.
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value, ("," if grouped else "") + (_SPECS.get(places) or f".{places}f"))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_SPECS = {1: ".1f", 2: ".2f", 4: ".4f"}


def say(value: Decimal | float | int | None, places: int = 1) -> str:
    """A figure as people read it in an explanation: 9661635.96 → "9,661,635.96", 60.0 → "60"."""
    return fmt(value, places, grouped=True)
