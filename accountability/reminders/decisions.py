"""Which emails proposal decisions owe: one to the proposer per approval or sending back.

The message's key is the decision, and its date the decision's date in the proposer's time
zone, so the unique constraint on messages makes it exactly once however often it is recorded.
"""

from __future__ import annotations

import datetime as dt

from accountability.models import Message
from accountability.reminders.rules import Due
from accountability.reminders.zones import Zones
from roadmap.models import InitiativeDecision

TOLD = (InitiativeDecision.Action.APPROVED, InitiativeDecision.Action.SENT_BACK)
CATCH_UP_DAYS = 7


def decision_key(decision_id: int) -> str:
    return f"decision:{decision_id}"


def proposal_messages_due(*, zones: Zones, decisions) -> set[Due]:
    """The message each of these decisions owes its proposer."""
    return {
        Due(
            kind=Message.Kind.PROPOSAL_DECISION,
            recipient_id=decision.proposer_id,
            for_date=decision.at.astimezone(zones.zone(decision.proposer_id)).date(),
            key=decision_key(decision.pk),
        )
        for decision in decisions
        if decision.proposer_id is not None
    }


def proposal_decisions_recent(*, now: dt.datetime):
    """Decisions to tell of from the last days: what the sweep catches up on."""
    since = now - dt.timedelta(days=CATCH_UP_DAYS)
    return InitiativeDecision.objects.filter(action__in=TOLD, at__gte=since, proposer__isnull=False).only(
        "pk", "at", "proposer_id"
    )
