"""The alert for a top-five loss reason of the quarter that no active initiative addresses.

It goes to every active CCO staff member and to the head of the reason's accountable
department (none when the reason has no owner: CCO staff are told it has none). The message's
key is the reason and its date the quarter's first day, so the unique constraint on messages
makes it once per reason, recipient and quarter, however many sweeps (or beats) record it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q

from accountability.models import Message
from accountability.reminders.rules import Due
from core.periods import Period
from org.roles import CCO_STAFF
from roadmap.selectors import loss_reasons_unaddressed

ALERT = Message.Kind.LOSS_REASON_ALERT


def loss_reason_key(reason_id: int) -> str:
    return f"loss_reason:{reason_id}"


def loss_reason_alerts_due(*, today: dt.date) -> set[Due]:
    """The alerts owed for the quarter containing `today` (the organisation's date), to date."""
    quarter = Period.containing(today)
    rows = loss_reasons_unaddressed(start=quarter.start, end=today)
    if not rows:
        return set()
    staff = Q(is_superuser=True) | Q(groups__name=CCO_STAFF)
    cco = set(get_user_model().objects.filter(staff, is_active=True).values_list("id", flat=True).distinct())
    due = set()
    for row in rows:
        head = row.department.head if row.department else None
        recipients = cco | ({head.pk} if head is not None and head.is_active else set())
        key = loss_reason_key(row.reason.pk)
        due |= {Due(kind=ALERT, recipient_id=r, for_date=quarter.start, key=key) for r in recipients}
    return due
