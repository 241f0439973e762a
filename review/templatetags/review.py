"""Tags and filters of the review pages: a score badge, a change arrow, people, and figures.

The figure filters are thin wrappers of `review.numbers`, which the PDF and CSV exports use too.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from review import numbers

register = template.Library()


@register.simple_tag
def score_badge(card) -> str:
    """A scorecard's overall score in its health colour, or why there is none."""
    if card is None or card == "":
        return format_html('<span class="badge health-">{}</span>', "no snapshot")
    if card.overall_score is None:
        return format_html('<span class="badge health-">{}</span>', "no score")
    return format_html(
        '<span class="badge health-{}">{}</span>', card.overall_colour, numbers.score(card.overall_score)
    )


@register.simple_tag
def change_arrow(change: Decimal | None) -> str:
    if change is None or change == "":
        return numbers.DASH
    text = numbers.change(change)
    if change > 0:
        return f"▲ {text}"
    if change < 0:
        return f"▼ {text}"
    return "= 0"


@register.filter
def person(user, nobody: str = "nobody") -> str:
    """A user's full name, else their username; `nobody` when there is no user (an unowned task)."""
    if user is None or user == "":
        return nobody
    return user.get_full_name() or user.username


@register.filter
def line_label(line) -> str:
    """A line's label; a breakdown, shown under its metric, without the metric's name it repeats."""
    prefix = f"{line.metric.name}: " if line.metric_id and line.metric else ""
    if line.part == "breakdown" and prefix and line.label.startswith(prefix):
        rest = line.label[len(prefix) :]
        return rest[:1].upper() + rest[1:]
    return line.label


register.filter("count", numbers.count)
register.filter("money", numbers.money)
register.filter("score", numbers.score)
register.filter("number", numbers.number)
register.filter("day", numbers.day)
register.filter("line_value", numbers.line_value)
register.filter("metric_value", numbers.metric_value)


@register.filter
def percent(value) -> str:
    return numbers.percent(value)


@register.filter
def share(value) -> str:
    """A fraction as a percentage: 0.15 → "15.0 %"."""
    return numbers.percent(value, fraction=True)


@register.simple_tag
def line_input(line, key: str, value) -> str:
    return numbers.line_input(line, key, value)
