"""Small tags of the review pages: a score badge and a change arrow (cheaper than includes in long tables)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def score_badge(card) -> str:
    """A scorecard's overall score in its health colour, or why there is none."""
    if card is None or card == "":
        return format_html('<span class="badge health-">{}</span>', "no snapshot")
    if card.overall_score is None:
        return format_html('<span class="badge health-">{}</span>', "no score")
    return format_html('<span class="badge health-{}">{}</span>', card.overall_colour, f"{card.overall_score:.1f}")


@register.simple_tag
def change_arrow(change: Decimal | None) -> str:
    if change is None or change == "":
        return "-"
    if change > 0:
        return f"▲ +{change:.1f}"
    if change < 0:
        return f"▼ {change:.1f}"
    return "= 0"
