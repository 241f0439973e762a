"""A scorecard line before it is stored, and the colours of metric scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from accountability.models import ScorecardLine
from accountability.models.scorecards import Colour
from accountability.scorecards.context import basis_points, cents

Part = ScorecardLine.Part


@dataclass
class LineDraft:
    """One explaining line: what part, its inputs, its value and score, and the sentence."""

    part: str
    label: str
    explanation: str
    inputs: dict = field(default_factory=dict)
    value: Decimal | None = None
    score: Decimal | None = None
    colour: str = Colour.NONE
    weight: Decimal | None = None
    metric_id: int | None = None
    # False for lines that explain a part without being one (a segment breakdown, a check).
    part_of_overall: bool = True

    def to_model(self, *, scorecard_id: int, position: int) -> ScorecardLine:
        data = {
            "scorecard_id": scorecard_id,
            "position": position,
            "part": self.part,
            "label": self.label,
            "explanation": self.explanation,
            "inputs": self.inputs,
            "value": basis_points(self.value),
            "score": cents(self.score),
            "colour": self.colour,
            "weight": self.weight,
            "metric_id": self.metric_id,
        }
        # Positional arguments in the model's field order: Model.__init__ with keywords costs
        # twice as much, which shows when a period writes thousands of lines.
        return ScorecardLine(*[data.get(name, default) for name, default in _line_fields()])


@cache
def _line_fields() -> list[tuple[str, object]]:
    """(attname, default) of ScorecardLine's concrete fields, in order (the primary key: None)."""
    return [(f.attname, None if f.primary_key else f.get_default()) for f in ScorecardLine._meta.concrete_fields]


def metric_colour(score: Decimal | None) -> str:
    """DOMAIN: the colour is the band of the score: 100 green, 50 to 100 amber, below 50 red."""
    if score is None:
        return Colour.NONE
    if score >= 100:
        return Colour.GREEN
    if score >= 50:
        return Colour.AMBER
    return Colour.RED
