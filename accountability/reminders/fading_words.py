"""What a fade alert says: the initiative, the month, participation then and at the start, who stopped."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from accountability.models import Message
from roadmap.models import Initiative
from roadmap.participation import initiative_participation


def _share(rate) -> str:
    return "no one pledged" if rate is None else f"{rate * 100:.1f} %"


def fading_context(*, message: Message) -> dict:
    initiative = Initiative.objects.get(pk=int(message.subject_key.split(":")[1]))
    month_end = (message.for_date.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    participation = initiative_participation(initiative=initiative, today=month_end)
    month, first = participation.months[-1], participation.first
    # The page is the review app's, above this floor: named by its URL, not imported.
    path = reverse("admin:review_participation", args=[initiative.pk])
    return {
        "initiative": initiative,
        "initiative_title": initiative.title,
        "month_label": f"{message.for_date:%B %Y}",
        "rate": _share(month.rate),
        "first_rate": _share(first.rate if first else None),
        "present": len(month.present),
        "pledged": month.pledged,
        "stopped": [
            (p.person.get_full_name() or p.person.username, p.department.name) for p in participation.stopped(month)
        ],
        "url": settings.SITE_URL.rstrip("/") + path,
    }
