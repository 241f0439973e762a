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
    UTC: the SQLite driver's, as Django stores datetimes there with USE_TZ."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
