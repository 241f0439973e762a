"""Reads of scorecard snapshots. Every signed-in role reads every scorecard (docs/domain.md, Roles)."""

from __future__ import annotations

from django.db.models import QuerySet

from accountability.models import Scorecard


def scorecard_list() -> QuerySet[Scorecard]:
    """Snapshots with their subject joined in and their explaining lines prefetched."""
    return Scorecard.objects.select_related("department", "owner").prefetch_related("lines")
