"""Run the grouped queries once and build the drafts of every subject asked for.

The number of queries does not depend on the data: delivery per department, delivery per
owner, metrics, targets, sums, last values, movements, starting customers and the previous
period's overall scores are one query each, whatever the number of subjects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from accountability.models import Scorecard
from accountability.scorecards.attainment import active_metrics, targets_of_period
from accountability.scorecards.compose import ScorecardDraft, compose
from accountability.scorecards.context import COMPANY_SUBJECT, DEPARTMENT, OWNER, Context, Subject
from accountability.scorecards.delivery import DeliveryCounts, delivery_by
from accountability.scorecards.growth import Growth, movement_days, movement_rows, starting_customers
from accountability.scorecards.handoffs import HandOffCounts, hand_offs_by_giver
from accountability.scorecards.metric_lines import metric_lines
from accountability.scorecards.participation import participation_by_department
from accountability.scorecards.readings import MetricFigures, ReadingFigures, reading_figures
from customers.models import Metric
from roadmap.pledge_months import ParticipationCount


def compute_drafts(
    *,
    ctx: Context,
    company: bool,
    department_ids: list[int],
    owner_where: Q | None = None,
    owner_ids: list[int] | None = None,
) -> list[ScorecardDraft]:
    """Drafts for the company (if asked), these departments, and the owners of `owner_where`'s tasks.

    `owner_ids` fixes the owners (one owner's scorecard even without tasks); by default they
    are the owners with tasks due in the period that match `owner_where`.
    """
    previous = _previous_overalls(ctx)
    drafts = []
    if company or department_ids:
        drafts += _scope_drafts(ctx=ctx, company=company, department_ids=department_ids, previous=previous)
    if owner_where is not None:
        by_owner = delivery_by(ctx=ctx, group="owner_id", where=owner_where & Q(owner__isnull=False))
        for owner_id in sorted(by_owner) if owner_ids is None else owner_ids:
            subject = (OWNER, owner_id)
            counts = by_owner.get(owner_id, DeliveryCounts())
            drafts.append(
                compose(
                    ctx=ctx,
                    subject=subject,
                    delivery=counts,
                    metric_lines=None,
                    growth=None,
                    previous=previous.get(subject),
                )
            )
    return drafts


@dataclass
class _Figures:
    """Everything the company and department scorecards of one computation are built from."""

    deliveries: dict[int | None, DeliveryCounts]
    metrics: list[Metric]
    readings: ReadingFigures
    targets: dict
    hand_offs: dict[int, HandOffCounts]
    growths: dict[int | None, Growth] = field(default_factory=lambda: defaultdict(Growth))
    company_growth: Growth = field(default_factory=Growth)
    starts: dict[int | None, Decimal] = field(default_factory=dict)
    participation: dict[int, ParticipationCount] = field(default_factory=dict)


def _load(ctx: Context, company: bool, department_ids: list[int]) -> _Figures:
    where = Q() if company else Q(department_id__in=department_ids)
    target_where = Q() if company else Q(department_id__in=department_ids) | Q(department__isnull=True)
    data = _Figures(
        deliveries=delivery_by(ctx=ctx, group="department_id", where=where),
        metrics=active_metrics(),
        readings=reading_figures(ctx=ctx, where=where),
        targets=targets_of_period(ctx=ctx, where=target_where),
        hand_offs=hand_offs_by_giver(ctx=ctx, where=where),
    )
    for row in movement_rows(ctx=ctx, where=where):
        data.growths[row["department_id"]].add_row(row)
        data.company_growth.add_row(row)
    for department_id, date, net in movement_days(ctx=ctx, where=where):
        data.growths[department_id].daily_net[date] += net
        data.company_growth.daily_net[date] += net
    data.starts = starting_customers(ctx=ctx, where=where)
    if department_ids:  # a line of department scorecards only
        data.participation = participation_by_department(ctx=ctx, department_ids=department_ids)
    return data


def _scope_drafts(
    *, ctx: Context, company: bool, department_ids: list[int], previous: dict[Subject, Decimal]
) -> list[ScorecardDraft]:
    data = _load(ctx, company, department_ids)
    drafts = []
    if company:
        growth = data.company_growth
        growth.start = sum(data.starts.values(), Decimal(0)) if data.starts else None
        delivery = DeliveryCounts()
        for counts in data.deliveries.values():
            delivery += counts
        hand_offs = HandOffCounts()
        for given in data.hand_offs.values():
            hand_offs += given
        lines = _company_metric_lines(ctx, data, growth)
        drafts.append(
            compose(
                ctx=ctx,
                subject=COMPANY_SUBJECT,
                delivery=delivery,
                metric_lines=lines,
                growth=growth,
                previous=previous.get(COMPANY_SUBJECT),
                hand_offs=hand_offs,
            )
        )
    for department_id in department_ids:
        drafts.append(_department_draft(ctx, data, department_id, previous))
    return drafts


def _department_draft(ctx: Context, data: _Figures, department_id: int, previous: dict) -> ScorecardDraft:
    growth = data.growths[department_id]
    growth.start = data.starts.get(department_id)
    targets = data.targets
    lines = []
    for m in data.metrics:
        if m.level != Metric.Level.DEPARTMENT:
            continue
        lines += metric_lines(
            ctx=ctx,
            metric=m,
            figures=data.readings.totals.get((m.pk, department_id)),
            segments=data.readings.segments.get((m.pk, department_id)),
            summed=False,
            target=targets.get((m.pk, department_id)) or targets.get((m.pk, None)),
            growth=growth,
        )
    subject = (DEPARTMENT, department_id)
    return compose(
        ctx=ctx,
        subject=subject,
        delivery=data.deliveries.get(department_id, DeliveryCounts()),
        metric_lines=lines,
        growth=growth,
        previous=previous.get(subject),
        hand_offs=data.hand_offs.get(department_id, HandOffCounts()),
        participation=data.participation.get(department_id, ParticipationCount()),
    )


def _company_metric_lines(ctx: Context, data: _Figures, growth: Growth) -> list:
    """Company-level metrics as they are; department-level ones over all departments' readings."""
    summed: dict[int, MetricFigures] = defaultdict(MetricFigures)
    summed_segments: dict[int, dict[str, MetricFigures]] = defaultdict(lambda: defaultdict(MetricFigures))
    for (metric_id, department_id), fig in data.readings.totals.items():
        if department_id is not None:
            summed[metric_id].add(fig)
            for name, segment in data.readings.segments.get((metric_id, department_id), {}).items():
                summed_segments[metric_id][name].add(segment)
    lines = []
    for metric in data.metrics:
        by_department = metric.level == Metric.Level.DEPARTMENT
        key = (metric.pk, None)
        segments = dict(sorted(summed_segments[metric.pk].items())) if by_department else None
        lines += metric_lines(
            ctx=ctx,
            metric=metric,
            figures=summed.get(metric.pk) if by_department else data.readings.totals.get(key),
            segments=segments if by_department else data.readings.segments.get(key),
            target=data.targets.get(key),
            summed=by_department,
            growth=growth,
        )
    return lines


def _previous_overalls(ctx: Context) -> dict[Subject, Decimal]:
    previous = ctx.period.previous
    rows = Scorecard.objects.filter(period_kind=previous.kind, period_start=previous.start).values_list(
        "scope", "department_id", "owner_id", "overall_score"
    )
    return {(scope, department_id or owner_id): score for scope, department_id, owner_id, score in rows}
