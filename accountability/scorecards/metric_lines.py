"""The explaining line of one metric on a scorecard: value, target, score, colour, formula."""

from __future__ import annotations

from decimal import Decimal

from accountability.scorecards.attainment import Aggregation, MetricFigures, attainment_score
from accountability.scorecards.context import Context, fmt
from accountability.scorecards.lines import LineDraft, Part, metric_colour
from customers.models import Metric, Target


def metric_line(
    *, ctx: Context, metric: Metric, figures: MetricFigures | None, target: Target | None, summed: bool
) -> LineDraft:
    """`summed`: a department-level metric on the company scorecard (all departments' readings)."""
    figures = figures or MetricFigures()
    value = figures.value(metric.aggregation)
    higher = metric.direction == Metric.Direction.HIGHER
    inputs = {
        "metric": metric.code,
        "aggregation": metric.aggregation,
        "direction": metric.direction,
        "readings": figures.count,
        "value": _text(value),
        "all_departments": summed,
    }
    line = LineDraft(
        part=Part.METRIC,
        label=metric.name,
        metric_id=metric.pk,
        value=value,
        weight=metric.weight,
        inputs=inputs,
        explanation="",
    )
    if target is None:
        line.label = f"{metric.name}: no target"
        line.explanation = f"No target for {ctx.period}: no score (not a zero); left out of the overall score." + (
            "" if value is None else f" Value: {_how(metric, figures, summed)} = {fmt(value, 4)}."
        )
        return line
    t, a = target.target_value, target.amber_threshold
    inputs.update(target=_text(t), amber=_text(a), target_of="department" if target.department_id else "company")
    if value is None:
        line.label = f"{metric.name}: no readings"
        line.explanation = f"No readings in {ctx.period}: no score; left out of the overall score."
        return line
    line.score = attainment_score(higher_is_better=higher, target=t, amber=a, value=value)
    line.colour = metric_colour(line.score)
    direction = "higher is better" if higher else "lower is better"
    line.explanation = (
        f"{_how(metric, figures, summed)} = {fmt(value, 4)}; {inputs['target_of']} target {fmt(t, 4)}, "
        f"amber {fmt(a, 4)} ({direction}): {_formula(higher=higher, t=t, a=a, v=value, score=line.score)}, "
        f"{line.colour}."
    )
    return line


def _text(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value, 4)


def _how(metric: Metric, figures: MetricFigures, summed: bool) -> str:
    if metric.aggregation == Aggregation.SUM:
        return f"sum of {figures.count} readings"
    if metric.aggregation == Aggregation.AVERAGE:
        return f"average of {figures.count} readings"
    if summed:
        return f"sum of the last readings of {figures.last_parts} departments"
    return "last reading"


def _formula(*, higher: bool, t: Decimal, a: Decimal, v: Decimal, score: Decimal) -> str:
    def f(x: Decimal) -> str:
        return fmt(x, 4)

    s = fmt(score, 1)
    if (higher and v >= t) or (not higher and v <= t):
        return f"{f(v)} {'≥' if higher else '≤'} target {f(t)} → 100"
    if higher and v >= a:
        return f"{f(a)} ≤ {f(v)} < {f(t)} → 50 + 50·({f(v)} - {f(a)})/({f(t)} - {f(a)}) = {s}"
    if not higher and v <= a:
        return f"{f(t)} < {f(v)} ≤ {f(a)} → 50 + 50·({f(a)} - {f(v)})/({f(a)} - {f(t)}) = {s}"
    if a <= 0:
        return f"{f(v)} beyond amber {f(a)}, which is not above 0 → 0"
    if higher:
        return f"{f(v)} < amber {f(a)} → max(0, 50·{f(v)}/{f(a)}) = {s}"
    return f"{f(v)} > amber {f(a)} → max(0, 50·(2·{f(a)} - {f(v)})/{f(a)}) = {s}"
