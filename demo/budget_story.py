"""The demo's duplicate spending: Service and Sales each fund a programme for first-contact resolution.

Built through the roadmap services, on the active roadmap, over the current quarter and the
next, so the budget view flags the pair from the first login and CCO staff can pool them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.periods import Period
from customers.models import LossReason, Metric
from demo.people import People
from roadmap.models import Roadmap
from roadmap.services import budget_line_create, initiative_create

STORY = [
    ("service", "Callback squad", "Call back every customer whose problem was not solved first time.", 48000),
    ("sales", "Retention desk", "A sales desk that fixes unresolved service problems before renewals.", 36000),
]


def duplicate_spending_build(*, today: dt.date, people: People, metrics: dict[str, Metric]) -> int:
    """Two initiatives, two departments, one metric and one loss reason: the pair the budget view flags."""
    roadmap = Roadmap.objects.filter(status=Roadmap.Status.ACTIVE).first()
    departments = {d.slug: d for d in people.departments}
    fcr, reason = metrics["first_contact_resolution"], LossReason.objects.filter(slug="service-failure").first()
    start = Period.containing(today).start
    end = min(Period.containing(today).next.end, roadmap.period_end) if roadmap else start
    if roadmap is None or not {"service", "sales"} <= departments.keys():
        return 0
    for slug, title, outcome, budget in STORY:
        initiative = initiative_create(
            roadmap=roadmap,
            title=title,
            outcome=outcome,
            owner=people.cco,
            start_date=start,
            end_date=max(end, start),
            status="active",
            metrics=[fcr],
        )
        budget_line_create(
            initiative=initiative,
            department=departments[slug],
            budget=Decimal(budget),
            metrics=[fcr],
            loss_reasons=[reason] if reason else [],
        )
    return len(STORY)
