"""Telling a proposer that CCO staff approved their proposal or sent it back: one email per decision.

The roadmap sends `accountability.proposal_decision_tell` by name when a decision commits
(`roadmap.proposals.proposal_decision_announce`); the reminders sweep records any decision of
the last days still without its message (a broker that was down). Exactly once: decisions.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accountability.reminders.decisions import TOLD, proposal_messages_due
from accountability.reminders.fanout import messages_enqueue, messages_record
from accountability.reminders.rules import reminder_settings_get
from accountability.reminders.zones import Zones
from roadmap.models import InitiativeDecision


@transaction.atomic
def proposal_decision_tell(*, decision_id: int, now: dt.datetime | None = None) -> int:
    """Record the email telling the proposer of this decision (if not yet) and enqueue it; returns rows added."""
    now = now or timezone.now()
    decisions = InitiativeDecision.objects.filter(pk=decision_id, action__in=TOLD).only("pk", "at", "proposer_id")
    created = messages_record(due=proposal_messages_due(zones=Zones.load(now=now), decisions=decisions))
    messages_enqueue(now=now, batch_size=reminder_settings_get().batch_size)
    return created
