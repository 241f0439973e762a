"""The overall score: the weighted mean of the parts that have a score."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accountability.scorecards.context import fmt
from accountability.scorecards.lines import LineDraft


@dataclass
class Overall:
    score: Decimal | None
    formula: str
    dropped: list[str]
    weight_total: Decimal


def overall_of(parts: list[LineDraft]) -> Overall:
    """Σ wᵢ·sᵢ / Σ wᵢ over the parts with a score; None when no weight is left."""
    scored = [p for p in parts if p.score is not None]
    dropped = [p.label for p in parts if p.score is None]
    weight_total = sum((p.weight or Decimal(0) for p in scored), Decimal(0))
    terms = " + ".join(f"{fmt(p.weight, 2)}·{fmt(p.score)}" for p in scored)
    if not scored or weight_total <= 0:
        return Overall(None, "no part with a score and a weight", dropped, weight_total)
    score = sum((p.weight * p.score for p in scored), Decimal(0)) / weight_total
    return Overall(score, f"({terms}) / {fmt(weight_total, 2)} = {fmt(score)}", dropped, weight_total)


def weighted_mean(lines: list[LineDraft]) -> Decimal | None:
    """The metrics' part of a scorecard shown on its own (by metric weight)."""
    scored = [line for line in lines if line.score is not None and line.weight]
    total = sum((line.weight for line in scored), Decimal(0))
    if not total:
        return None
    return sum((line.weight * line.score for line in scored), Decimal(0)) / total
