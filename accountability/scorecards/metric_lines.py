"""The lines of one metric on a scorecard: its scored line, its segment breakdown, the ledger check."""

from __future__ import annotations

from decimal import Decimal

from accountability.scorecards.attainment import Aggregation, attainment_score
from accountability.scorecards.context import Context, fmt, say
from accountability.scorecards.growth import CUSTOMERS_METRIC, Growth
from accountability.scorecards.lines import LineDraft, Part, metric_colour
from accountability.scorecards.readings import MetricFigures
from customers.models import Metric, Target

Source = Metric.Source
LEDGER_WORDS = {Source.LEDGER_GAINED: "gained", Source.LEDGER_LOST: "lost", Source.LEDGER_NET: "net"}


def metric_lines(
    *,
    ctx: Context,
    metric: Metric,
    figures: MetricFigures | None,
    segments: dict[str, MetricFigures] | None,
    target: Target | None,
    summed: bool,
    growth: Growth | None,
) -> list[LineDraft]:
    """`summed`: a department-level metric on the company scorecard (all departments' readings).

    `growth` is the scope's customer growth: ledger metrics and the stock `customers` use it.
    """
    figures = figures or MetricFigures()
    lines = [_scored_line(ctx, metric, figures, target, summed, growth)]
    if not metric.from_ledger:
        lines += _segment_lines(metric, segments or {}, summed)
    if metric.code == CUSTOMERS_METRIC:
        lines += _ledger_check(ctx, metric, figures, growth)
    return lines


def _scored_line(ctx, metric, figures, target, summed, growth) -> LineDraft:
    value, how = _value(ctx, metric, figures, summed, growth)
    higher = metric.direction == Metric.Direction.HIGHER
    inputs = {
        "metric": metric.code,
        "aggregation": metric.aggregation,
        "direction": metric.direction,
        "source": metric.source,
        "readings": 0 if metric.from_ledger else figures.count,
        "value": _text(value),
        "all_departments": summed,
        "as_read": _as_read(metric, figures),
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
            "" if value is None else f" Value: {how} = {say(value, 4)}."
        )
        return line
    t, a = target.target_value, target.amber_threshold
    inputs.update(target=_text(t), amber=_text(a), target_of="department" if target.department_id else "company")
    if value is None:
        line.label = f"{metric.name}: no {'movements' if metric.from_ledger else 'readings'}"
        line.explanation = f"{how.capitalize()} in {ctx.period}: no score; left out of the overall score."
        return line
    line.score = attainment_score(higher_is_better=higher, target=t, amber=a, value=value)
    line.colour = metric_colour(line.score)
    direction = "higher is better" if higher else "lower is better"
    line.explanation = (
        f"{how} = {say(value, 4)}; {inputs['target_of']} target {say(t, 4)}, "
        f"amber {say(a, 4)} ({direction}): {_formula(higher=higher, t=t, a=a, v=value, score=line.score)}, "
        f"{line.colour}."
    )
    return line


def _value(ctx, metric, figures, summed, growth) -> tuple[Decimal | None, str]:
    """The value scored and how it was found (when there is none: why)."""
    if metric.from_ledger:
        word = LEDGER_WORDS[metric.source]
        if growth is None or not growth.has_movements:
            return None, "no customer movements"
        count = {"gained": growth.gained, "lost": growth.lost, "net": growth.net}[word]
        return Decimal(count), f"customers {word}, counted from the movement ledger"
    if metric.code == CUSTOMERS_METRIC and _stock_known(ctx, growth):
        return growth.end, f"customers at the start {say(growth.start, 4)} + net {growth.net} from the ledger"
    value = figures.value(metric.aggregation)
    if value is None:
        return None, "no readings"
    return value, _how(metric, figures, summed)


def _stock_known(ctx: Context, growth: Growth | None) -> bool:
    # A period that has not begun has no stock at its end yet.
    return growth is not None and growth.start is not None and ctx.period.start <= ctx.today


def _segment_lines(metric: Metric, segments: dict[str, MetricFigures], summed: bool) -> list[LineDraft]:
    lines = []
    for name, figures in segments.items():
        value = figures.value(metric.aggregation)
        if value is None:
            continue
        lines.append(
            LineDraft(
                part=Part.BREAKDOWN,
                label=f"{metric.name}: segment {name}",
                metric_id=metric.pk,
                value=value,
                inputs={"metric": metric.code, "segment": name, "readings": figures.count, "value": _text(value)},
                explanation=f"Breakdown, no score: {_how(metric, figures, summed)} of {name} = {say(value, 4)}.",
                part_of_overall=False,
            )
        )
    return lines


def _ledger_check(ctx: Context, metric: Metric, figures: MetricFigures, growth: Growth | None) -> list[LineDraft]:
    """One line when the last count of customers in the period disagrees with S + net up to its date."""
    if not _stock_known(ctx, growth) or figures.last is None:
        return []
    day = figures.last_date
    ledger = growth.start + growth.net_until(day)
    difference = figures.last - ledger
    if not difference:
        return []
    return [
        LineDraft(
            part=Part.CHECK,
            label=f"{metric.name}: ledger and count differ by {say(abs(difference), 4)}",
            metric_id=metric.pk,
            value=difference,
            inputs={"count": _text(figures.last), "ledger": _text(ledger), "date": day.isoformat()},
            explanation=(
                f"Counted on {day.isoformat()}: {say(figures.last, 4)}; the ledger gives {say(growth.start, 4)} at the "
                f"start + net {growth.net_until(day)} of the movements up to that date = {say(ledger, 4)}. "
                "The scorecard uses the ledger; a missing or doubled movement, or a wrong count, explains the gap."
            ),
            part_of_overall=False,
        )
    ]


def _as_read(metric: Metric, figures: MetricFigures) -> dict:
    """The value from the readings alone, unrounded, and the metric's settings it was read with.

    Follow-through reads it back instead of reading a quarter's readings again
    (accountability.scorecards.follow_through), and only while those settings still hold. The
    figures behind the value are kept too: a department's line adds up with the others' into the
    company's value while the company's own snapshot waits for a recompute.
    """
    value = None if metric.from_ledger else figures.value(metric.aggregation)
    as_read = {
        "value": _exact(value),
        "level": metric.level,
        "min": _exact(metric.min_value),
        "max": _exact(metric.max_value),
    }
    if not metric.from_ledger:
        as_read["figures"] = [
            str(figures.total),
            figures.dates,
            figures.readings,
            _exact(figures.last),
            None if figures.last_date is None else figures.last_date.isoformat(),
        ]
    return as_read


def _exact(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value, 4)


def _how(metric: Metric, figures: MetricFigures, summed: bool) -> str:
    readings = f"{figures.count} reading{'s' if figures.count != 1 else ''}"
    dates = f"{figures.dates} dated total{'s' if figures.dates != 1 else ''}"
    if metric.aggregation == Aggregation.SUM:
        return f"sum of {dates} ({readings})"
    if metric.aggregation == Aggregation.AVERAGE:
        return f"average of {dates} ({readings})"
    if summed:
        return f"sum of the last totals of {figures.last_parts} departments"
    return f"total on {figures.last_date.isoformat()}, the last date with readings"


def _formula(*, higher: bool, t: Decimal, a: Decimal, v: Decimal, score: Decimal) -> str:
    def f(x: Decimal) -> str:
        return say(x, 4)

    s = say(score, 1)
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
