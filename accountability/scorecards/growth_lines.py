"""The explaining lines of customer growth: the growth part, each segment, each loss reason."""

from __future__ import annotations

from decimal import Decimal

from accountability.scorecards.context import Context, band, fmt, say
from accountability.scorecards.growth import Growth
from accountability.scorecards.lines import LineDraft, Part


def growth_lines(*, ctx: Context, growth: Growth) -> list[LineDraft]:
    main = LineDraft(
        part=Part.GROWTH,
        label="Customer growth",
        value=Decimal(growth.net),
        score=growth.score,
        colour=band(growth.score, settings=ctx.settings),
        weight=ctx.settings.growth_weight,
        inputs=_inputs(growth),
        explanation=_explanation(ctx, growth),
    )
    lines = [main]
    for name, (gained, lost) in growth.segments.items():
        lines.append(
            LineDraft(
                part=Part.SEGMENT,
                label=f"Segment {name}",
                value=Decimal(gained - lost),
                inputs={"segment": name, "gained": gained, "lost": lost, "net": gained - lost},
                explanation=f"gained {gained} - lost {lost} = net {gained - lost}",
            )
        )
    for rank, (name, lost, share) in enumerate(growth.top_reasons(), start=1):
        lines.append(
            LineDraft(
                part=Part.LOSS_REASON,
                label=f"Loss reason {rank}: {name}",
                value=Decimal(lost),
                inputs={"reason": name, "rank": rank, "lost": lost, "share": fmt(share, 4)},
                explanation=f"{lost} of {growth.lost} customers lost = {fmt(100 * share)}% of all losses",
            )
        )
    return lines


def _inputs(growth: Growth) -> dict:
    return {
        "gained": growth.gained,
        "lost": growth.lost,
        "net": growth.net,
        "revenue_gained": fmt(growth.revenue_gained, 2),
        "revenue_lost": fmt(growth.revenue_lost, 2),
        "profit_gained": fmt(growth.profit_gained, 2),
        "profit_lost": fmt(growth.profit_lost, 2),
        "customers_start": None if growth.start is None else fmt(growth.start, 4),
        "customers_end": None if growth.end is None else fmt(growth.end, 4),
        "retention_rate": None if growth.retention_rate is None else fmt(growth.retention_rate, 4),
        "churn_rate": None if growth.churn_rate is None else fmt(growth.churn_rate, 4),
    }


def _explanation(ctx: Context, growth: Growth) -> str:
    if not growth.has_movements:
        return "No customers gained or lost in the period: growth has no score and drops out of the overall score."
    g, lost, net = growth.gained, growth.lost, growth.net
    if not lost:
        text = f"gained {g}, lost 0 → net {net}; nothing lost → growth 100"
    elif g >= lost:
        text = f"gained {g}, lost {lost} → net {net}; gained ≥ lost → growth 100 · min(1, {g}/{lost}) = 100"
    else:
        text = f"gained {g}, lost {lost} → net {net} → growth 100 · min(1, {g}/{lost}) = {fmt(growth.score)}"
    money = {name: say(getattr(growth, name), 2) for name in ("revenue_gained", "revenue_lost", "profit_gained")}
    text += f", {band(growth.score, settings=ctx.settings)}. Yearly revenue gained {money['revenue_gained']}, lost "
    text += f"{money['revenue_lost']}; profit gained {money['profit_gained']}, lost {say(growth.profit_lost, 2)}."
    if growth.start is None:
        return text + (
            f" No starting customer count (a reading of 'customers' dated before {ctx.period.start}):"
            " no retention or churn rate."
        )
    s, e = say(growth.start, 4), say(growth.end, 4)
    text += f" Customers at start {s}, at end {s} + {net} = {e}"
    if growth.retention_rate is None:
        return text + "; no retention or churn rate when the start is 0."
    return (
        text + f"; retention ({e} - {g})/{s} = {fmt(growth.retention_rate, 4)}; "
        f"churn {lost}/{s} = {fmt(growth.churn_rate, 4)}."
    )
