"""A person's calendar feed as iCalendar (RFC 5545), built with the icalendar library.

Calendar apps refresh a subscribed feed and match events by UID, so each item keeps one UID for
its life (`<kind>-<id>@<site host>`). LAST-MODIFIED and DTSTAMP are the item's own last change
(RFC 5545: without a METHOD, DTSTAMP means the last revision), and SEQUENCE grows with it (the
seconds since 2024), so an app that compares revisions sees a moved date as newer. Due dates and
meetings are all-day dates; approvals are times in the reader's zone, with its VTIMEZONE.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from review.selectors.calendar import Entry

PRODID = "-//CCO accountability tracker//calendar feed//EN"
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
REFRESH = dt.timedelta(hours=1)  # a hint some apps honour; others poll on their own schedule


def _sequence(modified: dt.datetime) -> int:
    return max(0, int((modified - SEQUENCE_EPOCH).total_seconds()))


def _event(entry: Entry, *, host: str, base: str) -> Event:
    event = Event()
    event.add("uid", f"{entry.key}@{host}")
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("url", base + entry.path)
    modified = entry.modified.astimezone(dt.UTC).replace(microsecond=0)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("sequence", _sequence(modified))
    if entry.day is not None:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a due date does not make the person busy
    else:
        start = entry.start.replace(microsecond=0)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=entry.minutes))
    return event


def calendar_ics(*, name: str, entries: list[Entry], zone: ZoneInfo) -> bytes:
    """The feed's bytes: one VEVENT per entry, and the VTIMEZONE of the reader's zone."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    base = settings.SITE_URL.rstrip("/")
    host = urlsplit(base).hostname or "cco-tracker"
    for entry in entries:
        calendar.add_component(_event(entry, host=host, base=base))
    calendar.add_missing_timezones()
    return calendar.to_ical()
