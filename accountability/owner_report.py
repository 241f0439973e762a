"""An owner's accountability report for a period: what a performance review needs on one page.

Delivery and say/do are the owner scorecard's figures (`accountability.scorecards.owner`), plus
the hand-offs the owner gives, their participation in the task forces they are pledged to
(`roadmap.pledge_months`), the recognitions they received in the period and the metrics of
their tasks' initiatives with the company scorecard's line for each. A fixed number of queries
whatever the number of tasks, pledges, recognitions or metrics. On the accountability floor so
that the page (review) and the API (`accountability/api/owner_report.py`) read the same figures.

Who may read it: the owner, the heads of the departments the owner belongs to or heads, CCO
staff and executives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from accountability.models import Recognition, Scorecard, ScorecardLine
from accountability.scorecards.delivery import DeliveryCounts
from accountability.scorecards.handoffs import HandOffCounts
from accountability.scorecards.owner import OwnerFigures, owner_figures
from core.periods import Period
from core.types import UserLike
from customers.models import Metric
from org.models import Department
from org.selectors import user_headed_department_ids, user_sees_everything
from roadmap.models import Initiative, Task
from roadmap.pledge_months import ParticipationCount, PledgeMonths, pledge_months


@dataclass(frozen=True)
class MetricRow:
    """A metric one of the owner's initiatives should move, and the company scorecard's line for it."""

    metric: Metric
    initiatives: list[str]
    line: ScorecardLine | None


@dataclass(frozen=True)
class OwnerReport:
    owner: UserLike
    period: Period
    figures: OwnerFigures
    participation: list[PledgeMonths]
    participation_total: ParticipationCount
    recognitions: list[Recognition]
    metrics: list[MetricRow]

    @property
    def delivery(self) -> DeliveryCounts:
        return self.figures.delivery

    @property
    def hand_offs(self) -> HandOffCounts:
        return self.figures.hand_offs


def owner_report_visible(*, user: UserLike, owner: UserLike) -> bool:
    """The owner, a head of one of the owner's departments, CCO staff and executives."""
    if user.pk == owner.pk or user_sees_everything(user=user):
        return True
    headed = user_headed_department_ids(user=user)
    return bool(headed) and Department.objects.filter(Q(head=owner) | Q(members=owner), pk__in=headed).exists()


def _metric_rows(owner: UserLike, period: Period) -> list[MetricRow]:
    """The metrics of the initiatives running in the period with a task of the owner's that is not
    cancelled, each with those initiatives' titles and the company scorecard's line for it.

    The initiatives' metrics are read as plain (metric, title) rows, not as initiatives with their
    metrics prefetched: the owner with the most tasks works on hundreds of initiatives at a large
    company's size, and making each one a model object took a third of the page's time.
    """
    mine = Task.objects.filter(owner=owner).exclude(status=Task.Status.CANCELLED).values("initiative_id")
    running = Initiative.objects.filter(pk__in=mine, start_date__lte=period.end, end_date__gte=period.start)
    links = (
        Initiative.metrics.through.objects.filter(initiative__in=running)
        .order_by("initiative__title", "initiative_id", "metric__code")  # as the initiatives and their metrics list
        .values_list("metric_id", "initiative__title")
    )
    titles: dict[int, list[str]] = {}
    for metric_id, title in links:
        titles.setdefault(metric_id, []).append(title)
    if not titles:
        return []
    found = Metric.objects.in_bulk(list(titles))
    metrics = [found[pk] for pk in titles]
    company = Scorecard.objects.filter(
        scope=Scorecard.Scope.COMPANY, period_kind=period.kind, period_start=period.start
    )
    # The company scorecard's metric lines, a few dozen, filtered here: asked for by metric as well,
    # SQLite reads every scorecard's lines of those metrics through the metric's index.
    lines = ScorecardLine.objects.filter(scorecard__in=company, part=ScorecardLine.Part.METRIC).order_by("position")
    by_metric: dict[int, ScorecardLine] = {}
    for line in lines.select_related("metric"):
        if line.metric_id in titles:
            by_metric.setdefault(line.metric_id, line)
    return [MetricRow(m, titles[m.pk], by_metric.get(m.pk)) for m in sorted(metrics, key=lambda m: m.name)]


def owner_report_get(*, owner: UserLike, period: Period) -> OwnerReport:
    figures = owner_figures(period=period, owner_id=owner.pk)
    participation = pledge_months(where=Q(person=owner), start=period.start, end=period.end, today=figures.today)
    total = ParticipationCount()
    for item in participation:
        total.add(item)
    start, end = period.bounds()
    recognitions = (
        Recognition.objects.filter(recipient=owner, created_at__gte=start, created_at__lt=end)
        .select_related("giver", "task", "initiative", "metric")
        .order_by("-created_at", "-pk")
    )
    return OwnerReport(
        owner=owner,
        period=period,
        figures=figures,
        participation=participation,
        participation_total=total,
        recognitions=list(recognitions),
        metrics=_metric_rows(owner, period),
    )


def owner_report_people(*, user: UserLike, department: Department) -> list:
    """Whose reports a department's page links to for this user: its head and members for CCO staff,
    executives and its head; a member only their own; anyone else nobody. One query."""
    if user_sees_everything(user=user) or department.pk in user_headed_department_ids(user=user):
        people = get_user_model().objects.filter(Q(departments=department) | Q(headed_departments=department))
        return list(people.distinct().order_by("first_name", "last_name", "username"))
    return [user] if department.members.filter(pk=user.pk).exists() else []
