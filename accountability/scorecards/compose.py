"""Assemble one scorecard (its figures and explaining lines) from the computed parts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accountability.scorecards.context import DEPARTMENT, OWNER, Context, Subject, band, basis_points, cents, fmt
from accountability.scorecards.delivery import (
    DeliveryCounts,
    delivery_explanation,
    delivery_inputs,
    say_do_explanation,
    say_do_inputs,
)
from accountability.scorecards.growth import Growth
from accountability.scorecards.growth_lines import growth_lines
from accountability.scorecards.handoffs import HandOffCounts, hand_off_explanation, hand_off_inputs
from accountability.scorecards.lines import LineDraft, Part
from accountability.scorecards.overall import overall_of, weighted_mean
from accountability.scorecards.participation import participation_line
from roadmap.pledge_months import ParticipationCount

NOT_PER_OWNER = (
    "Metric attainment and customer growth are measured for departments and the company, not per owner: "
    "an owner's scorecard is delivery only."
)


@dataclass
class ScorecardDraft:
    """A computed scorecard before it is stored."""

    subject: Subject
    fields: dict
    lines: list[LineDraft]


def compose(
    *,
    ctx: Context,
    subject: Subject,
    delivery: DeliveryCounts,
    metric_lines: list[LineDraft] | None,
    growth: Growth | None,
    previous: Decimal | None,
    hand_offs: HandOffCounts | None = None,
    participation: ParticipationCount | None = None,
) -> ScorecardDraft:
    """`metric_lines`, `growth` and `hand_offs` are None on an owner's scorecard; `participation` is a
    department's only."""
    delivery_line = _delivery_line(ctx, delivery)
    lines, parts = [delivery_line, _say_do_line(delivery)], [delivery_line]
    if hand_offs is not None:
        lines.append(_hand_off_line(hand_offs))
    if participation is not None:
        lines.append(participation_line(participation))
    lines += _metric_lines(metric_lines)
    parts += [line for line in metric_lines or [] if line.part_of_overall]
    if growth is not None:
        grown = growth_lines(ctx=ctx, growth=growth)
        lines += grown
        parts.append(grown[0])
    has_data = bool(delivery.due or any(line.inputs.get("readings") for line in metric_lines or []))
    has_data = has_data or any(line.score is not None for line in metric_lines or [])
    has_data = has_data or bool(growth and growth.has_movements)
    if not has_data:
        explanation = f"No data for {ctx.period}: no tasks due, no metric readings, no customer movements."
        lines.append(LineDraft(part=Part.OVERALL, label="No data", explanation=explanation))
    overall = overall_of(parts)
    change = None if overall.score is None or previous is None else cents(overall.score) - previous
    lines.append(_overall_line(ctx, overall, previous, change))
    fields = _fields(subject, delivery, growth, has_data)
    fields.update(
        overall_score=cents(overall.score),
        overall_colour=band(overall.score, settings=ctx.settings),
        change=change,
        delivery_score=cents(delivery.score),
        metrics_score=cents(weighted_mean([line for line in metric_lines or [] if line.part_of_overall])),
        growth_score=cents(growth.score) if growth else None,
    )
    return ScorecardDraft(subject=subject, fields=fields, lines=lines)


def _delivery_line(ctx: Context, delivery: DeliveryCounts) -> LineDraft:
    return LineDraft(
        part=Part.DELIVERY,
        label="Delivery",
        value=delivery.on_time_rate,
        score=delivery.score,
        colour=band(delivery.score, settings=ctx.settings),
        weight=ctx.settings.delivery_weight,
        inputs=delivery_inputs(delivery, ctx=ctx),
        explanation=delivery_explanation(delivery, ctx=ctx),
    )


def _say_do_line(delivery: DeliveryCounts) -> LineDraft:
    """Promises kept, beside delivery: it explains delivery and is not part of the overall score."""
    return LineDraft(
        part=Part.SAY_DO,
        label="Say/do",
        value=delivery.say_do_rate,
        inputs=say_do_inputs(delivery),
        explanation=say_do_explanation(delivery),
        part_of_overall=False,
    )


def _hand_off_line(hand_offs: HandOffCounts) -> LineDraft:
    """The hand-offs this scope gives to other departments, kept on time: beside delivery, no score."""
    return LineDraft(
        part=Part.HANDOFF,
        label="Hand-off rate",
        value=hand_offs.rate,
        inputs=hand_off_inputs(hand_offs),
        explanation=hand_off_explanation(hand_offs),
        part_of_overall=False,
    )


def _metric_lines(metric_lines: list[LineDraft] | None) -> list[LineDraft]:
    if metric_lines is None:
        # One line for both parts: an owner's scorecard is written for hundreds of people.
        return [
            LineDraft(part=Part.METRIC, label="Metrics and customer growth: not measured", explanation=NOT_PER_OWNER)
        ]
    if not metric_lines:
        return [LineDraft(part=Part.METRIC, label="No metrics", explanation="No active metric applies here.")]
    return metric_lines


def _overall_line(ctx: Context, overall, previous: Decimal | None, change: Decimal | None) -> LineDraft:
    text = f"Overall = Σ weight·score / Σ weight over the parts with a score: {overall.formula}"
    if overall.score is not None:
        text += f", {band(overall.score, settings=ctx.settings)}"
    text += f" (green from {fmt(ctx.settings.green_from)}, amber from {fmt(ctx.settings.amber_from)})."
    if overall.dropped:
        text += " Left out, no score: " + "; ".join(overall.dropped) + "."
    if change is not None:
        text += f" Change: {fmt(cents(overall.score), 2)} - {fmt(previous, 2)} ({ctx.previous_label}) = {change:+}."
    else:
        text += f" No change figure: no overall score for this period or for {ctx.previous_label}."
    return LineDraft(
        part=Part.OVERALL,
        label="Overall",
        score=overall.score,
        colour=band(overall.score, settings=ctx.settings),
        weight=overall.weight_total,
        value=change,
        inputs={"dropped": overall.dropped, "previous": None if previous is None else str(previous)},
        explanation=text,
    )


def _fields(subject: Subject, delivery: DeliveryCounts, growth: Growth | None, has_data: bool) -> dict:
    scope, subject_id = subject
    growth = growth or Growth()
    return {
        "scope": scope,
        "department_id": subject_id if scope == DEPARTMENT else None,
        "owner_id": subject_id if scope == OWNER else None,
        "has_data": has_data,
        "tasks_due": delivery.due,
        "tasks_on_time": delivery.on_time,
        "tasks_late": delivery.late,
        "tasks_overdue": delivery.overdue,
        "tasks_blocked": delivery.blocked,
        "tasks_stale": delivery.stale,
        "on_time_rate": basis_points(delivery.on_time_rate),
        "customers_gained": growth.gained,
        "customers_lost": growth.lost,
        "customers_net": growth.net,
        "revenue_gained": growth.revenue_gained,
        "revenue_lost": growth.revenue_lost,
        "profit_gained": growth.profit_gained,
        "profit_lost": growth.profit_lost,
    }
