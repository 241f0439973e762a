"""Helpers for the reminder tests: frozen instants, users in a time zone, and the messages recorded."""

import datetime as dt

import time_machine

from accountability.models import Message
from accountability.reminders.fanout import digests_fan_out, reminders_fan_out
from tests import factories

UTC = dt.UTC


def at(*args: int):
    """Freeze time at a UTC instant: `with at(2026, 6, 1, 12): ...`."""
    return time_machine.travel(dt.datetime(*args, tzinfo=UTC), tick=False)


def sweep(*args: int, digests: bool = False) -> set[tuple]:
    """Run the fan-out at a UTC instant; returns (kind, subject_key, username, for_date) of the new rows."""
    before = set(Message.objects.values_list("id", flat=True))
    with at(*args):
        (digests_fan_out if digests else reminders_fan_out)()
    return {
        (m.kind, m.subject_key, m.recipient.username, m.for_date)
        for m in Message.objects.exclude(id__in=before).select_related("recipient")
    }


def user_in(zone: str, username: str, **fields):
    user = factories.TaskOwnerFactory(username=username, **fields)
    factories.ProfileFactory(user=user, time_zone=zone)
    return user


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)
