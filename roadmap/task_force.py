"""Writes of the task force (pledges and meetings): the roadmap's services for who turns up (roadmap/pledges.py).

Kept beside `roadmap/services.py`, the door for the plan itself, so that each stays short.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from roadmap.models import Meeting, Pledge


@transaction.atomic
def pledge_create(**fields: Any) -> Pledge:
    """A department pledges one of its people to an initiative, for so many hours a month."""
    pledge = Pledge(**fields)
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def pledge_update(*, pledge: Pledge, **fields: Any) -> Pledge:
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    for name, value in fields.items():
        setattr(pledge, name, value)
    pledge.full_clean()
    pledge.save()
    return pledge


@transaction.atomic
def meeting_create(*, attendees: Iterable = (), **fields: Any) -> Meeting:
    """Record a task-force meeting that took place and who attended."""
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields: Any) -> Meeting:
    """Correct a meeting; `attendees`, when given, replaces the list."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    attendees = fields.pop("attendees", None)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(attendees)
    return meeting
