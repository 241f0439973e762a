"""Reads behind the executive review pages: scorecard snapshots, trends, customers, trouble.

Each function runs a fixed number of queries, whatever the number of departments, tasks,
readings or movements (pinned in tests at two data sizes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accountability.models import Recognition, Scorecard, ScorecardLine
from accountability.scorecards.follow_through import did_not_move_latest
from core.periods import Period, period_or_current_quarter
from customers.models import CustomerMovement, CustomerSegment, Metric, Reading, Target
from org.models import Department
from org.selectors import UserLike
from roadmap.models import Initiative, Task
from roadmap.selectors import TOP_LOSS_REASONS, loss_reasons_top, task_list
from roadmap.selectors import initiatives_in_trouble as roadmap_initiatives_in_trouble

TREND_PERIODS = 8
TROUBLE_SHOWN = 10  # initiatives in trouble on the dashboard; the rest are one link away
PROBLEMS_SHOWN = 25  # overdue, and blocked, tasks on a department's page; the rest are in the task list
DID_NOT_MOVE_SHOWN = 10  # finished initiatives that did not move, the latest to end first
OPEN_STATUSES = (Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS, Task.Status.BLOCKED)
COMPARE_KINDS = "Compare two quarters or two months, not a quarter with a month."
OUT_OF_RANGE = "{period} is too close to the first or last year a date can hold; pick a period between 0003 and 9998."


def review_period(*, text: str | None) -> Period:
    """The period a review page asks for (default: the current quarter), with room for its trend and links.

    The pages show the 8 periods up to it and link to the one after; ValueError names what is wrong.
    """
    period = period_or_current_quarter(text=text)
    try:
        periods_ending_at(period=period)
        period.next  # noqa: B018 - computing it is the check
    except (ValueError, OverflowError):
        raise ValueError(OUT_OF_RANGE.format(period=period)) from None
    return period


def periods_ending_at(*, period: Period, count: int = TREND_PERIODS) -> list[Period]:
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous)
    return periods[::-1]


@dataclass
class DepartmentRow:
    department: Department
    scorecard: Scorecard | None
    previous: Scorecard | None

    @property
    def change(self) -> Decimal | None:
        if self.scorecard is None:
            return None
        if self.scorecard.change is not None:
            return self.scorecard.change
        if self.previous is None or None in (self.scorecard.overall_score, self.previous.overall_score):
            return None
        return self.scorecard.overall_score - self.previous.overall_score


@dataclass
class Dashboard:
    period: Period
    company: Scorecard | None
    company_previous: Scorecard | None
    rows: list[DepartmentRow]
    trend: list[tuple[Period, Decimal | None]]
    loss_reasons: list
    initiatives_in_trouble: list[Initiative]  # the worst TROUBLE_SHOWN
    did_not_move: list
    trouble_count: int = 0  # all initiatives in trouble
    did_not_move_count: int = 0  # all finished initiatives that did not move; the latest DID_NOT_MOVE_SHOWN shown
    missing: list[Department] = field(default_factory=list)
    segments: list[SegmentRow] = field(default_factory=list)
    lines: list[ScorecardLine] = field(default_factory=list)  # the company scorecard's

    @property
    def worst(self) -> DepartmentRow | None:
        scored = [r for r in self.rows if r.scorecard and r.scorecard.overall_score is not None]
        return min(scored, key=lambda r: r.scorecard.overall_score, default=None)


def _snapshots(*, periods: list[Period], department_ids: list[int] | None = None) -> QuerySet[Scorecard]:
    """Company and department snapshots of these periods (all departments unless narrowed)."""
    qs = Scorecard.objects.filter(
        period_kind=periods[0].kind, period_start__in=[p.start for p in periods]
    ).select_related("department")
    if department_ids is None:
        return qs.filter(scope__in=[Scorecard.Scope.COMPANY, Scorecard.Scope.DEPARTMENT])
    return qs.filter(
        Q(scope=Scorecard.Scope.COMPANY) | Q(scope=Scorecard.Scope.DEPARTMENT, department_id__in=department_ids)
    )


def _index(snapshots: list[Scorecard]) -> dict[tuple[dt.date, int | None], Scorecard]:
    return {(s.period_start, s.department_id): s for s in snapshots}


def loss_reason_breakdown(*, period: Period, department_id: int | None = None) -> list[dict]:
    """Lost customers by reason, largest first, with each reason's share of all losses."""
    qs = CustomerMovement.objects.filter(kind=CustomerMovement.Kind.LOST, date__gte=period.start, date__lte=period.end)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    rows = list(qs.values("loss_reason__name").annotate(lost=Sum("count")).order_by("-lost", "loss_reason__name"))
    total = sum(r["lost"] for r in rows) or 1
    return [
        {"reason": r["loss_reason__name"] or "No reason given", "lost": r["lost"], "share": 100 * r["lost"] / total}
        for r in rows
    ]


@dataclass
class SegmentRow:
    """Customers gained and lost in one segment over a period, with the yearly profit at stake."""

    segment: str
    gained: int = 0
    lost: int = 0
    profit_gained: Decimal = Decimal(0)
    profit_lost: Decimal = Decimal(0)

    @property
    def net(self) -> int:
        return self.gained - self.lost

    @property
    def net_profit(self) -> Decimal:
        return self.profit_gained - self.profit_lost


def segment_profitability(*, period: Period, department_id: int | None = None) -> list[SegmentRow]:
    """Customer growth and profit by segment, in the segments' display order: two queries.

    The movements are added up by segment id, from the covering date index alone; the segments'
    names and order are read apart (joining each of 60,000 movements of a quarter to its segment,
    at 100x the demo, doubled the time).
    """
    qs = CustomerMovement.objects.filter(date__gte=period.start, date__lte=period.end)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    grouped = qs.values_list("segment_id", "kind").annotate(n=Sum("count"), profit=Sum("profit")).order_by()
    sums = {(segment_id, kind): (n, profit or Decimal(0)) for segment_id, kind, n, profit in grouped}
    rows = []
    for segment_id, name in CustomerSegment.objects.order_by("rank", "name").values_list("pk", "name"):
        gained, lost = (
            sums.get((segment_id, CustomerMovement.Kind.GAINED)),
            sums.get((segment_id, CustomerMovement.Kind.LOST)),
        )
        if gained or lost:
            row = SegmentRow(name)
            row.gained, row.profit_gained = gained or (0, Decimal(0))
            row.lost, row.profit_lost = lost or (0, Decimal(0))
            rows.append(row)
    return rows


def initiatives_in_trouble(*, limit: int | None = None) -> tuple[list[Initiative], int]:
    """The worst `limit` (default TROUBLE_SHOWN) initiatives in trouble, and how many there are.

    roadmap/selectors.py says which are in trouble and which are worst; the page links to them
    all (the initiative admin's "in trouble" filter).
    """
    qs = roadmap_initiatives_in_trouble()
    shown = list(qs.select_related("owner", "roadmap")[: TROUBLE_SHOWN if limit is None else limit])
    return shown, qs.count()


def company_trend(*, periods: list[Period]) -> list[tuple[Period, Decimal | None]]:
    scores = dict(
        Scorecard.objects.filter(
            scope=Scorecard.Scope.COMPANY, period_kind=periods[0].kind, period_start__in=[p.start for p in periods]
        ).values_list("period_start", "overall_score")
    )
    return [(p, scores.get(p.start)) for p in periods]


def dashboard_get(*, period: Period) -> Dashboard:
    """The company and every department for one period, with the trend of the last 8 periods."""
    snapshots = _index(list(_snapshots(periods=[period.previous, period]).select_related(None)))
    departments = list(Department.objects.order_by("name"))
    rows = [
        DepartmentRow(d, snapshots.get((period.start, d.pk)), snapshots.get((period.previous.start, d.pk)))
        for d in departments
    ]
    company = snapshots.get((period.start, None))
    trouble, trouble_count = initiatives_in_trouble()
    did_not_move, did_not_move_count = did_not_move_latest(limit=DID_NOT_MOVE_SHOWN)  # the latest to end first
    return Dashboard(
        period=period,
        company=company,
        company_previous=snapshots.get((period.previous.start, None)),
        rows=sorted(rows, key=_row_sort_key),
        trend=company_trend(periods=periods_ending_at(period=period)),
        loss_reasons=loss_reasons_top(start=period.start, end=period.end, limit=TOP_LOSS_REASONS),
        initiatives_in_trouble=trouble,
        trouble_count=trouble_count,
        did_not_move=did_not_move,
        did_not_move_count=did_not_move_count,
        missing=[r.department for r in rows if r.scorecard is None],
        segments=segment_profitability(period=period),
        lines=scorecard_lines(scorecard=company),
    )


def scorecard_lines(*, scorecard: Scorecard | None) -> list[ScorecardLine]:
    """A snapshot's lines in order, each with its metric (for the unit of its value); one query."""
    if scorecard is None:
        return []
    return list(scorecard.lines.select_related("metric").order_by("position", "id"))


def _row_sort_key(row: DepartmentRow) -> tuple:
    """Worst first: scored departments by score, then those without a score, by name."""
    score = row.scorecard.overall_score if row.scorecard else None
    return (score is None, score if score is not None else 0, row.department.name)


@dataclass
class MetricAttainment:
    target: Target
    value: Decimal | None

    @property
    def metric(self):
        return self.target.metric


@dataclass
class DepartmentReview:
    department: Department
    period: Period
    scorecard: Scorecard | None
    lines: list[ScorecardLine]
    trend: list[tuple[Period, Decimal | None, Decimal | None]]  # period, department, company
    overdue: list[Task]
    blocked: list[Task]
    metrics: list[MetricAttainment]
    recognitions: list[Recognition]
    loss_reasons: list[dict]
    segments: list[SegmentRow]
    overdue_count: int | None = None  # all of them, when `overdue` holds the first few
    blocked_count: int | None = None


def _aggregate(total: Decimal, count: int, last: Decimal | None, how: str) -> Decimal | None:
    if how == "sum":
        return total
    if how == "last":
        return last
    return total / count


def metric_attainment(*, department: Department, period: Period) -> list[MetricAttainment]:
    """The department's targets for the period, each with its readings aggregated as defined
    (their sum, their mean, or the latest: by date, then as entered).

    The readings are added up and counted in the query, one row per metric, and only the
    metrics that take their latest reading read it: at 100x the demo a department has thousands
    of readings a quarter.
    """
    targets = list(
        Target.objects.filter(department=department, period_kind=period.kind, period_start=period.start)
        .select_related("metric")
        .order_by("metric__name")
    )
    readings = Reading.objects.filter(
        department=department, metric__in=[t.metric_id for t in targets], date__gte=period.start, date__lte=period.end
    )
    sums = readings.values_list("metric_id").annotate(total=Sum("value"), n=Count("pk")).order_by()
    figures = {metric_id: (total, n) for metric_id, total, n in sums}
    last = {t.metric_id for t in targets if t.metric.aggregation == Metric.Aggregation.LAST and t.metric_id in figures}
    latest = dict(
        readings.filter(metric__in=last)
        .annotate(rank=Window(RowNumber(), partition_by=[F("metric_id")], order_by=[F("date").desc(), F("pk").desc()]))
        .filter(rank=1)
        .values_list("metric_id", "value")
    )
    return [
        MetricAttainment(
            t,
            _aggregate(*figures[t.metric_id], latest.get(t.metric_id), t.metric.aggregation)
            if t.metric_id in figures
            else None,
        )
        for t in targets
    ]


def department_review_get(
    *, department: Department, period: Period, user: UserLike, limit: int | None = None
) -> DepartmentReview:
    """A department's drill-down: scorecard lines, trend, open problem tasks, metrics, recognitions.

    With `limit` (the page), the first `limit` overdue and blocked tasks and how many there are;
    without (the board pack), all of them.
    """
    periods = periods_ending_at(period=period)
    snapshots = _index(list(_snapshots(periods=periods, department_ids=[department.pk])))
    scorecard = snapshots.get((period.start, department.pk))
    lines = scorecard_lines(scorecard=scorecard)
    today = timezone.localdate()
    open_tasks = task_list(user=user).filter(department=department, status__in=OPEN_STATUSES).order_by("due_date", "id")
    overdue = open_tasks.filter(due_date__lt=today)  # the most overdue first
    blocked = open_tasks.filter(status=Task.Status.BLOCKED)
    members = Q(recipient__departments=department) | Q(recipient__headed_departments=department)
    recognitions = (
        Recognition.objects.filter(Q(task__department=department) | members)
        .select_related("giver", "recipient", "task", "initiative", "metric")
        .distinct()
        .order_by("-created_at")[:20]
    )
    return DepartmentReview(
        department=department,
        period=period,
        scorecard=scorecard,
        lines=lines,
        trend=[
            (
                p,
                getattr(snapshots.get((p.start, department.pk)), "overall_score", None),
                getattr(snapshots.get((p.start, None)), "overall_score", None),
            )
            for p in periods
        ],
        overdue=list(overdue[:limit] if limit else overdue),
        blocked=list(blocked[:limit] if limit else blocked),
        overdue_count=overdue.count() if limit else None,
        blocked_count=blocked.count() if limit else None,
        metrics=metric_attainment(department=department, period=period),
        recognitions=list(recognitions),
        loss_reasons=loss_reason_breakdown(period=period, department_id=department.pk)[:5],
        segments=segment_profitability(period=period, department_id=department.pk),
    )


def period_comparison_get(*, first: Period, second: Period) -> dict:
    """Company and department snapshots of two periods of one kind side by side (two queries)."""
    if first.kind != second.kind:
        raise ValueError(COMPARE_KINDS)
    snapshots = _index(list(_snapshots(periods=[first, second])))
    departments = list(Department.objects.order_by("name"))
    rows = [(None, snapshots.get((first.start, None)), snapshots.get((second.start, None)))]
    rows += [(d, snapshots.get((first.start, d.pk)), snapshots.get((second.start, d.pk))) for d in departments]
    return {"first": first, "second": second, "rows": rows}
