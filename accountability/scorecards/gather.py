"""Run the grouped queries once and build the drafts of every subject asked for.

The number of queries does not depend on the data: delivery per department, delivery per
owner, metrics, targets, sums, last values, movements, starting customers and the previous
period's overall scores are one query each, whatever the number of subjects.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from accountability.models import Metric, Scorecard
from accountability.scorecards.attainment import MetricFigures, active_metrics, metric_figures, targets_of_period
from accountability.scorecards.compose import ScorecardDraft, compose
from accountability.scorecards.context import COMPANY_SUBJECT, DEPARTMENT, OWNER, Context, Subject
from accountability.scorecards.delivery import DeliveryCounts, delivery_by
from accountability.scorecards.growth import Growth, movement_rows, starting_customers
from accountability.scorecards.metric_lines import metric_line


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


def _scope_drafts(
    *, ctx: Context, company: bool, department_ids: list[int], previous: dict[Subject, Decimal]
) -> list[ScorecardDraft]:
    where = Q() if company else Q(department_id__in=department_ids)
    target_where = Q() if company else Q(department_id__in=department_ids) | Q(department__isnull=True)
    deliveries = delivery_by(ctx=ctx, group="department_id", where=where)
    metrics = active_metrics()
    figures = metric_figures(ctx=ctx, where=where)
    targets = targets_of_period(ctx=ctx, where=target_where)
    growths: dict[int | None, Growth] = defaultdict(Growth)
    company_growth = Growth()
    for row in movement_rows(ctx=ctx, where=where):
        growths[row["department_id"]].add_row(row)
        company_growth.add_row(row)
    starts = starting_customers(ctx=ctx, where=where)
    drafts = []
    if company:
        company_growth.start = sum(starts.values(), Decimal(0)) if starts else None
        company_delivery = DeliveryCounts()
        for counts in deliveries.values():
            company_delivery += counts
        lines = _company_metric_lines(ctx, metrics, figures, targets)
        drafts.append(
            compose(
                ctx=ctx,
                subject=COMPANY_SUBJECT,
                delivery=company_delivery,
                metric_lines=lines,
                growth=company_growth,
                previous=previous.get(COMPANY_SUBJECT),
            )
        )
    for department_id in department_ids:
        growth = growths[department_id]
        growth.start = starts.get(department_id)
        lines = [
            metric_line(
                ctx=ctx,
                metric=m,
                figures=figures.get((m.pk, department_id)),
                summed=False,
                target=targets.get((m.pk, department_id)) or targets.get((m.pk, None)),
            )
            for m in metrics
            if m.level == Metric.Level.DEPARTMENT
        ]
        subject = (DEPARTMENT, department_id)
        drafts.append(
            compose(
                ctx=ctx,
                subject=subject,
                delivery=deliveries.get(department_id, DeliveryCounts()),
                metric_lines=lines,
                growth=growth,
                previous=previous.get(subject),
            )
        )
    return drafts


def _company_metric_lines(ctx, metrics, figures, targets) -> list:
    """Company-level metrics as they are; department-level ones over all departments' readings."""
    summed: dict[int, MetricFigures] = defaultdict(MetricFigures)
    for (metric_id, department_id), fig in figures.items():
        if department_id is not None:
            summed[metric_id].add(fig)
    lines = []
    for metric in metrics:
        by_department = metric.level == Metric.Level.DEPARTMENT
        fig = summed.get(metric.pk) if by_department else figures.get((metric.pk, None))
        lines.append(
            metric_line(
                ctx=ctx, metric=metric, figures=fig, target=targets.get((metric.pk, None)), summed=by_department
            )
        )
    return lines


def _previous_overalls(ctx: Context) -> dict[Subject, Decimal]:
    previous = ctx.period.previous
    rows = Scorecard.objects.filter(period_kind=previous.kind, period_start=previous.start).values_list(
        "scope", "department_id", "owner_id", "overall_score"
    )
    return {(scope, department_id or owner_id): score for scope, department_id, owner_id, score in rows}
