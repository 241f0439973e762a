"""One owner's figures as the owner scorecard computes them, read without storing a snapshot.

The owner's accountability report (`accountability/owner_report.py`) shows delivery and say/do
next to things a scorecard does not hold; it takes them from here so that its figures are the
owner scorecard's, computed by the same grouped queries (`delivery_by`) with the same settings.
It adds the hand-offs the owner gives: `hand_offs_by_giver` on the owner's awaited tasks, every
giver department added up. Two queries and a read of the settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accountability.models import ScorecardSettings
from accountability.scorecards.context import Context
from accountability.scorecards.delivery import DeliveryCounts, delivery_by
from accountability.scorecards.handoffs import HandOffCounts, hand_offs_by_giver
from core.periods import Period


@dataclass(frozen=True)
class OwnerFigures:
    period: Period
    today: dt.date
    stale_days: int
    delivery: DeliveryCounts
    hand_offs: HandOffCounts


def owner_figures(*, period: Period, owner_id: int, now: dt.datetime | None = None) -> OwnerFigures:
    """Delivery (with say/do) and hand-offs given of one owner in a period, as of `now`."""
    settings = ScorecardSettings.objects.order_by("pk").first() or ScorecardSettings()
    ctx = Context(period=period, now=now or timezone.now(), settings=settings)
    mine = Q(owner_id=owner_id)
    delivery = delivery_by(ctx=ctx, group="owner_id", where=mine).get(owner_id, DeliveryCounts())
    hand_offs = HandOffCounts()
    for given in hand_offs_by_giver(ctx=ctx, where=mine).values():
        hand_offs += given
    return OwnerFigures(
        period=period, today=ctx.today, stale_days=settings.stale_days, delivery=delivery, hand_offs=hand_offs
    )
