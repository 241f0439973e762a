"""Reporting periods (months and quarters) in the organisation's time zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

# Years a period or a date in a query string may name: beyond them a period's end overflows
# Python's dates (9999-Q4), and nothing the product holds is that old or that far ahead.
MIN_YEAR, MAX_YEAR = 1900, 2200
OUT_OF_RANGE = f"Years run from {MIN_YEAR} to {MAX_YEAR}."


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


def org_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    """A month or a quarter; `start` is its first day, `end` its last day (inclusive)."""

    kind: str
    start: dt.date

    def __post_init__(self) -> None:
        if self.kind not in PeriodKind.values:
            raise ValueError(f"Unknown period kind {self.kind!r}; use one of {', '.join(PeriodKind.values)}.")
        months = 3 if self.kind == PeriodKind.QUARTER else 1
        if self.start.day != 1 or (self.start.month - 1) % months:
            raise ValueError(f"{self.start} is not the first day of a {self.kind}.")

    @classmethod
    def containing(cls, day: dt.date, kind: str = PeriodKind.QUARTER) -> Period:
        return cls(kind, dt.date(day.year, day.month, 1) if kind == PeriodKind.MONTH else quarter_start(day))

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2026-Q3' or '2026-07' → a Period; ValueError with a readable message otherwise.

        Years outside MIN_YEAR…MAX_YEAR are refused too (ValueError saying so).
        """
        text = text.strip().upper()
        try:
            if "-Q" in text:
                year, quarter = text.split("-Q")
                if not 1 <= int(quarter) <= 4:
                    raise ValueError
                period = cls(PeriodKind.QUARTER, dt.date(int(year), 3 * int(quarter) - 2, 1))
            else:
                year, month = text.split("-")
                period = cls(PeriodKind.MONTH, dt.date(int(year), int(month), 1))
        except ValueError:
            raise ValueError(f"{text!r} is not a period; write 2026-Q3 for a quarter or 2026-07 for a month.") from None
        if not MIN_YEAR <= period.start.year <= MAX_YEAR:
            raise ValueError(f"{text!r} is out of range. {OUT_OF_RANGE}")
        return period

    @property
    def months(self) -> int:
        return 3 if self.kind == PeriodKind.QUARTER else 1

    @property
    def next_start(self) -> dt.date:
        month = self.start.month - 1 + self.months
        return dt.date(self.start.year + month // 12, month % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next_start - dt.timedelta(days=1)

    @property
    def previous(self) -> Period:
        return Period.containing(self.start - dt.timedelta(days=1), self.kind)

    @property
    def next(self) -> Period:
        return Period(self.kind, self.next_start)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware [start, end) datetimes in the organisation's time zone (DST-safe)."""
        zone = org_zone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(self.next_start, dt.time.min, tzinfo=zone),
        )

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def __str__(self) -> str:
        return self.label


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the day's quarter (cheaper than a `Period` where thousands of rows are bucketed)."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def current_periods(*, now: dt.datetime | None = None) -> list[Period]:
    """The month and the quarter containing today in the organisation's time zone."""
    today = timezone.localdate(now or timezone.now())
    return [Period.containing(today, PeriodKind.MONTH), Period.containing(today, PeriodKind.QUARTER)]


def period_or_current_quarter(*, text: str | None, today: dt.date | None = None) -> Period:
    """The period named in a query string, or the current quarter; ValueError names the problem."""
    if not text:
        return Period.containing(today or timezone.localdate(), PeriodKind.QUARTER)
    return Period.parse(text)
