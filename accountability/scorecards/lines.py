"""A scorecard line before it is stored, and the colours of metric scores."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from accountability.models import ScorecardLine
from accountability.models.scorecards import Colour
from accountability.scorecards.context import cents

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

    def to_model(self, *, scorecard_id: int, position: int) -> ScorecardLine:
        data = asdict(self)
        data["score"] = cents(self.score)
        data["value"] = None if self.value is None else self.value.quantize(Decimal("0.0001"))
        return ScorecardLine(scorecard_id=scorecard_id, position=position, **data)


def metric_colour(score: Decimal | None) -> str:
    """DOMAIN: the colour is the band of the score: 100 green, 50 to 100 amber, below 50 red."""
    if score is None:
        return Colour.NONE
    if score >= 100:
        return Colour.GREEN
    if score >= 50:
        return Colour.AMBER
    return Colour.RED
