"""The customer cases and proposals of the demo: loss reasons with and without work, proposals at each step.

Built once, when no proposal decision exists yet. The roadmap's approved initiatives address
a few loss reasons (service failure, billing error, product gap), so the largest ones (price,
moved to competitor) have no active initiative and raise the alert; the demo head has one
proposal sent back, one waiting on CCO staff and one draft.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from customers.models import CustomerSegment, LossReason, Metric
from demo.people import People
from roadmap.models import Initiative, InitiativeDecision, Roadmap
from roadmap.proposals import (
    initiative_case_set,
    initiative_draft,
    initiative_propose,
    initiative_revise,
    initiative_send_back,
)

ADDRESSED = ["service-failure", "billing-error", "product-gap"]
# What a finished initiative expected of each metric it moves (reading-sourced metrics only).
EXPECTED = {
    "first_contact_resolution": Decimal(80),
    "invoice_accuracy": Decimal(98),
    "lead_conversion": Decimal(25),
    "nps": Decimal(40),
    "complaints_per_1000": Decimal(4),
    "onboarding_days": Decimal(10),
    "retention": Decimal(92),
}
SENT_BACK = "Which customers does it affect, and how many? Tie it to the billing errors we lose customers over."
PROPOSALS = [  # (title, outcome, loss reason, how far it gets)
    ("Invoices in plain words", "Half the billing complaints of last year.", "billing-error", "sent_back"),
    ("One named contact per strategic customer", "No strategic customer leaves.", "service-failure", "proposed"),
    ("A price check before every renewal", "Fewer customers leave over price.", "price", "draft"),
]


def _case(initiative: Initiative, *, segment, reason, metric, customers: int, expected: Decimal, by: dt.date) -> None:
    initiative_case_set(
        initiative=initiative,
        segments=[(segment, customers)],
        loss_reasons=[reason],
        expectations=[(metric, expected, by)],
    )


@transaction.atomic
def proposals_build(*, people: People, today: dt.date) -> dict[str, int]:
    if InitiativeDecision.objects.exists() or not Roadmap.objects.filter(status=Roadmap.Status.ACTIVE).exists():
        return {}
    reasons = LossReason.objects.in_bulk(field_name="slug")
    segment = CustomerSegment.objects.order_by("rank").first()
    metric = Metric.objects.filter(source=Metric.Source.READINGS, unit="%").order_by("code").first()
    active = list(Initiative.objects.filter(status=Initiative.Status.ACTIVE).order_by("start_date", "title")[:6])
    for i, initiative in enumerate(active):
        reason = reasons[ADDRESSED[i % len(ADDRESSED)]]
        _case(initiative, segment=segment, reason=reason, metric=metric, customers=40 + 10 * i, expected=80, by=today)
        Initiative.objects.filter(pk=initiative.pk).update(profit_at_stake=Decimal(50000 * (i + 1)))
    done = _finished_cases(reasons, segment, metric_expected=EXPECTED)
    roadmap = Roadmap.objects.get(status=Roadmap.Status.ACTIVE)
    for title, outcome, slug, step in PROPOSALS:
        initiative = initiative_draft(
            drafted_by=people.head,
            roadmap=roadmap,
            title=title,
            outcome=outcome,
            owner=people.cco,
            start_date=today,
            end_date=roadmap.period_end,
        )
        if step == "draft":
            continue
        _case(initiative, segment=segment, reason=reasons[slug], metric=metric, customers=120, expected=85, by=today)
        initiative = initiative_revise(initiative=initiative, profit_at_stake=Decimal(240000))
        initiative_propose(initiative=initiative, by=people.head)
        if step == "sent_back":
            initiative_send_back(initiative=initiative, by=people.cco, reason=SENT_BACK)
    return {"proposals": len(PROPOSALS), "initiatives with a customer case": len(active) + done}


def _finished_cases(reasons, segment, *, metric_expected: dict[str, Decimal]) -> int:
    """Done initiatives expect their metrics to reach a value; the readings tell whether they moved."""
    done = Initiative.objects.filter(status=Initiative.Status.DONE).prefetch_related("metrics").order_by("start_date")
    count = 0
    for i, initiative in enumerate(done):
        metrics = [m for m in initiative.metrics.all() if m.code in metric_expected]
        expectations = [(m, metric_expected[m.code], initiative.end_date) for m in metrics]
        if not expectations:
            continue
        reason = reasons[ADDRESSED[i % len(ADDRESSED)]]
        initiative_case_set(
            initiative=initiative, segments=[(segment, 60)], loss_reasons=[reason], expectations=expectations
        )
        count += 1
    return count
