"""Rows as the database driver returns them, for the hottest lists (the task list API).

`values_list()` runs Django's converters over every value of every row; on SQLite that makes
each date and time (which the driver already parsed from SQLite's text) aware, one call after
another, about a tenth of the task list's time (bench/api_profile.py). The functions here take
the driver's values as they come: naive UTC datetimes on SQLite, aware ones on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.db.models.query import BaseIterable
from django.db.models.sql.constants import MULTI


class DriverRowIterable(BaseIterable):
    """Rows of a `values_list(*field_names)` (plain fields only) with no converters applied."""

    def __iter__(self) -> Any:
        queryset = self.queryset
        compiler = queryset.query.get_compiler(queryset.db)
        chunks = compiler.execute_sql(MULTI, chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size)
        for chunk in chunks:
            yield from chunk


def driver_rows(queryset: QuerySet, *field_names: str) -> QuerySet:
    """`queryset.values_list(*field_names)`, each row as the driver returns it (see the module's docstring)."""
    rows = queryset.values_list(*field_names)
    rows._iterable_class = DriverRowIterable
    return rows


def date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def datetime_text(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    """As DRF writes a datetime: in the time zone given, ISO 8601, UTC as Z. A naive datetime is
    UTC: the SQLite driver's, as Django stores datetimes there with USE_TZ.

    The zone's offset and its text are worked out once per hour of UTC and zone (with
    `astimezone`, as DRF does), then each value is shifted by it and written naive, with the
    text after it: a third of the time of `astimezone` and `isoformat` on every value, the
    same bytes (tests/core/test_datetime_text.py). An hour in which the offset changes (a
    transition off the hour, as on Lord Howe Island) goes value by value, as do aware values
    in another zone than UTC."""
    if value is None:
        return None
    tzinfo = value.tzinfo
    if tzinfo is not None:
        if tzinfo is not dt.UTC and value.utcoffset():
            return _datetime_text_exact(value, zone)
        value = value.replace(tzinfo=None)
    key = (zone, value.year, value.month, value.day, value.hour)
    hour = _hours.get(key)
    if hour is None:
        hour = _hour_offset(value, zone)
        if len(_hours) >= MAX_HOURS:
            _hours.clear()
        _hours[key] = hour
    if hour is _CHANGES:
        return _datetime_text_exact(value, zone)
    offset, suffix = hour
    return (value + offset if offset else value).isoformat() + suffix


MAX_HOURS = 50_000  # about 12 MB, over five years of hours: past it, the offsets are worked out again
_hours: dict[tuple, Any] = {}  # (zone, UTC year, month, day, hour) -> (offset, text after the time) or _CHANGES
_CHANGES = object()  # the zone's offset changes within this hour (or it cannot be written)
_HOUR_END = dt.timedelta(hours=1) - dt.timedelta(microseconds=1)


def _hour_offset(value: dt.datetime, zone: dt.tzinfo) -> Any:
    """The zone's offset during `value`'s hour (naive, UTC) and the text DRF writes after the time."""
    start = value.replace(minute=0, second=0, microsecond=0, tzinfo=dt.UTC)
    try:
        first, last = start.astimezone(zone), (start + _HOUR_END).astimezone(zone)
    except OverflowError:  # the first or last hour of the calendar: each value then fails as in DRF
        return _CHANGES
    if first.utcoffset() != last.utcoffset():
        return _CHANGES
    suffix = _datetime_text_exact(start, zone)[len(first.replace(tzinfo=None).isoformat()) :]
    return first.utcoffset(), suffix


def _datetime_text_exact(value: dt.datetime, zone: dt.tzinfo) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
