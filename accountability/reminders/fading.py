"""Fade alerts: a task force whose participation fell below half of its first month's (docs/domain.md).

The sweep looks at the last complete month, so a month is judged once it is over (on the 2nd
of a month, two days of check-ins would look like a collapse). The alert goes to CCO staff and
to the heads of the departments whose pledged people stopped (they took part in the first month,
not in this one). Each is a `Message` for the month's first day: its unique constraint makes it
exactly once per month and recipient however many sweeps or beats run; a month that recovered
sends nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.fanout import FanOutResult, messages_enqueue, messages_record
from accountability.reminders.rules import Due, reminder_settings_get
from org.selectors import user_list_cco_staff
from roadmap.models import Initiative
from roadmap.participation import Participation, initiative_participation


def last_complete_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def fade_recipients(*, participation: Participation, cco_staff_ids: list[int]) -> set[int]:
    """CCO staff, and the head of each department one of whose pledged people stopped."""
    month = participation.months[-1]
    heads = {p.department.head_id for p in participation.stopped(month) if p.department.head_id}
    return set(cco_staff_ids) | heads


def fade_alerts_due(*, today: dt.date) -> set[Due]:
    """The alerts for every running initiative whose task force faded in the last complete month."""
    month = last_complete_month(today)
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    initiatives = (
        Initiative.objects.exclude(status__in=(Initiative.Status.CANCELLED, Initiative.Status.DONE))
        .filter(start_date__lte=month_end, end_date__gte=month, pledges__isnull=False)
        .distinct()
        .order_by("pk")
    )
    cco_staff_ids = list(user_list_cco_staff().values_list("pk", flat=True))
    due: set[Due] = set()
    for initiative in initiatives:
        participation = initiative_participation(initiative=initiative, today=month_end)
        last = participation.months[-1] if participation.months else None
        if last is None or last.start != month or not last.faded:
            continue
        for recipient_id in fade_recipients(participation=participation, cco_staff_ids=cco_staff_ids):
            due.add(Due(kind=Message.Kind.FADE, recipient_id=recipient_id, for_date=month, initiative_id=initiative.pk))
    return due


@transaction.atomic
def fade_alerts_fan_out(*, now: dt.datetime | None = None) -> FanOutResult:
    """Record the fade alerts of the last complete month that do not exist yet, then enqueue what is pending."""
    now = now or timezone.now()
    due = fade_alerts_due(today=timezone.localdate(now))
    created = messages_record(due=due)
    batches = messages_enqueue(now=now, batch_size=reminder_settings_get().batch_size)
    return FanOutResult(due=len(due), created=created, batches=batches)
