"""The review meeting pack: per department and period, what the CCO will ask about (docs/review.md).

A department's pack gathers the customers lost that it is accountable for (by the loss
reason's accountable department), its hand-offs that were late, its slips, its red metrics,
its initiatives' follow-through and the recognitions it earned. The company's opens with
customers in, out and net. Who may read which pack is decided here, for the pages and PDFs.

Each read is one query, whatever the number of movements, tasks, slips or recognitions; the
follow-through reads each quarter once (accountability.scorecards.follow_through). Pinned in
tests/review/test_meeting_pack.py at two data sizes, for each role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from accountability.models import Recognition, Scorecard, ScorecardLine
from accountability.models.scorecards import Colour
from accountability.scorecards.follow_through import FollowThrough, did_not_move_latest, follow_through_many
from core.periods import Period
from customers.models import CustomerMovement
from customers.selectors import loss_reasons_ranked
from org.models import Department
from org.selectors import UserLike, user_headed_department_ids, user_sees_everything
from review.selectors.dashboard import SegmentRow, segment_profitability
from roadmap.models import Initiative, Slip, Task
from roadmap.selectors import (
    TOP_LOSS_REASONS,
    initiatives_addressing,
    loss_reasons_addressed,
    slip_list,
)

ZERO = Decimal(0)
SHOWN = 50  # rows per question: a meeting discusses the worst, the lists link on


def meeting_pack_departments(*, user: UserLike) -> QuerySet[Department]:
    """Departments whose pack this user may read: all for CCO staff and executives, a head's own, else none.

    Task owners get none: the pack prepares the CCO's questions to the department's head.
    """
    if user_sees_everything(user=user):
        return Department.objects.order_by("name")
    return Department.objects.filter(pk__in=user_headed_department_ids(user=user)).order_by("name")


def meeting_pack_company_visible(*, user: UserLike) -> bool:
    """The company's pack covers every department: CCO staff and executives only."""
    return user_sees_everything(user=user)


@dataclass
class LostRow:
    reason: str
    lost: int
    profit_lost: Decimal
    initiatives: list[Initiative] = field(default_factory=list)  # active ones addressing it


@dataclass
class LateHandOff:
    """`waiting` (another department's task) waited on `awaited` (this department's), which was late."""

    waiting: Task
    awaited: Task
    days_late: int
    open: bool


@dataclass
class DepartmentPack:
    department: Department
    period: Period
    lost: list[LostRow]
    late_hand_offs: list[LateHandOff]
    slips: list[Slip]
    scorecard: Scorecard | None
    red_metrics: list[ScorecardLine]
    follow_through: list[FollowThrough]
    recognitions: list[Recognition]

    @property
    def lost_total(self) -> int:
        return sum(r.lost for r in self.lost)

    @property
    def profit_lost_total(self) -> Decimal:
        return sum((r.profit_lost for r in self.lost), ZERO)


def _lost(department: Department, period: Period) -> list[LostRow]:
    """Customers lost for reasons this department is accountable for, by reason, with the work on each."""
    rows = (
        CustomerMovement.objects.filter(
            kind=CustomerMovement.Kind.LOST,
            date__gte=period.start,
            date__lte=period.end,
            loss_reason__department=department,
        )
        .values("loss_reason_id", "loss_reason__name")
        .annotate(n=Sum("count"), profit=Sum("profit"))
        .order_by("-n", "-profit", "loss_reason__name")
    )
    result = {r["loss_reason_id"]: LostRow(r["loss_reason__name"], r["n"], r["profit"] or ZERO) for r in rows}
    for reason_id, initiatives in initiatives_addressing(reason_ids=list(result)).items():
        result[reason_id].initiatives = initiatives
    return list(result.values())


def _late_hand_offs(department: Department, period: Period, today: dt.date) -> list[LateHandOff]:
    """Hand-offs this department gave, due in the period, done after their due date or still open past it.

    Which are late is decided from plain rows; only the first SHOWN are loaded with their tasks,
    people and departments (loading every hand-off of a large department took a third of its pack).
    """
    rows = (
        Task.depends_on.through.objects.filter(
            to_task__department=department, to_task__due_date__gte=period.start, to_task__due_date__lte=period.end
        )
        .exclude(from_task__department_id=F("to_task__department_id"))
        .exclude(to_task__status=Task.Status.CANCELLED)
        .order_by("to_task__due_date", "id")
    )
    late: dict[int, tuple[int, bool]] = {}
    for pk, due, status, completed_at in rows.values_list(
        "id", "to_task__due_date", "to_task__status", "to_task__completed_at"
    ):
        if status == Task.Status.DONE:
            done = timezone.localdate(completed_at) if completed_at else due
            days, still_open = (done - due).days, False
        else:
            days, still_open = (today - due).days, True
        if days > 0:
            late[pk] = (days, still_open)
            if len(late) == SHOWN:
                break
    # By id alone: with the filters above again, SQLite walked the department's quarter once more.
    shown = (
        Task.depends_on.through.objects.filter(pk__in=list(late))
        .select_related("from_task__department", "from_task__owner", "to_task__owner")
        .order_by("to_task__due_date", "id")
    )
    return [
        LateHandOff(waiting=row.from_task, awaited=row.to_task, days_late=late[row.pk][0], open=late[row.pk][1])
        for row in shown
    ]


def _slips(department: Department, period: Period, user: UserLike) -> list[Slip]:
    start, end = period.bounds()
    slips = slip_list(user=user).filter(task__department=department, moved_at__gte=start, moved_at__lt=end)
    return list(slips.order_by("-days", "-moved_at", "-id")[:SHOWN])


def _scorecard(department: Department, period: Period) -> tuple[Scorecard | None, list[ScorecardLine]]:
    """The department's snapshot of the period and its red metric lines (worst first)."""
    where = {"scope": Scorecard.Scope.DEPARTMENT, "department": department, "period_kind": period.kind}
    card = Scorecard.objects.filter(**where, period_start=period.start).first()
    if card is None:
        return None, []
    lines = card.lines.filter(part=ScorecardLine.Part.METRIC, colour=Colour.RED).select_related("metric")
    return card, list(lines.order_by("score", "position"))


def _initiatives(department: Department, period: Period) -> list[Initiative]:
    """Its approved initiatives that ran in the period or finished in the one before (their 'after' is now)."""
    qs = Initiative.objects.filter(
        departments=department,
        proposal=Initiative.Proposal.APPROVED,
        status__in=[Initiative.Status.ACTIVE, Initiative.Status.DONE],
        start_date__lte=period.end,
        end_date__gte=period.previous.start,
    )
    return list(qs.distinct().select_related("owner").order_by("end_date", "title")[:SHOWN])


def _recognitions(department: Department, period: Period) -> list[Recognition]:
    start, end = period.bounds()
    people = Q(recipient__departments=department) | Q(recipient__headed_departments=department)
    rows = Recognition.objects.filter(
        Q(task__department=department) | people, created_at__gte=start, created_at__lt=end
    )
    related = ("giver", "recipient", "task", "initiative", "metric")
    return list(rows.select_related(*related).distinct().order_by("-created_at", "-id")[:SHOWN])


def meeting_pack_department_get(*, department: Department, period: Period, user: UserLike) -> DepartmentPack:
    """One department's pack for a period (the caller checked `meeting_pack_departments`)."""
    today = timezone.localdate()
    scorecard, red = _scorecard(department, period)
    return DepartmentPack(
        department=department,
        period=period,
        lost=_lost(department, period),
        late_hand_offs=_late_hand_offs(department, period, today),
        slips=_slips(department, period, user),
        scorecard=scorecard,
        red_metrics=red,
        follow_through=follow_through_many(initiatives=_initiatives(department, period)),
        recognitions=_recognitions(department, period),
    )


@dataclass
class CompanyPack:
    period: Period
    gained: int
    lost: int
    profit_gained: Decimal
    profit_lost: Decimal
    segments: list[SegmentRow]
    loss_reasons: list
    departments: list[tuple[Department, int, Decimal]]  # each with the customers and profit lost it owns
    unowned_lost: int
    did_not_move: list[FollowThrough]  # the SHOWN that ended last
    did_not_move_count: int = 0  # all finished initiatives that did not move

    @property
    def net(self) -> int:
        return self.gained - self.lost

    @property
    def net_profit(self) -> Decimal:
        return self.profit_gained - self.profit_lost


def meeting_pack_company_get(*, period: Period) -> CompanyPack:
    """The company's pack: customers in, out and net (counts and profit), then where they went and who owns it.

    The totals add up the segments' rows, and each department's losses its reasons' rows: every
    movement has a segment, and every loss a reason (a constraint). Summing the quarter's
    movements again by kind and by department took a third of the pack at 100x the demo.
    """
    segments = segment_profitability(period=period)
    ranked = loss_reasons_ranked(start=period.start, end=period.end)
    owned: dict[int | None, tuple[int, Decimal]] = {}
    for row in ranked:
        n, profit = owned.get(row.reason.department_id, (0, ZERO))
        owned[row.reason.department_id] = (n + row.lost, profit + (row.profit_lost or ZERO))
    departments = [(d, *owned.get(d.pk, (0, ZERO))) for d in Department.objects.select_related("head").order_by("name")]
    did_not_move, did_not_move_count = did_not_move_latest(limit=SHOWN)
    return CompanyPack(
        period=period,
        gained=sum(row.gained for row in segments),
        lost=sum(row.lost for row in segments),
        profit_gained=sum((row.profit_gained for row in segments), ZERO),
        profit_lost=sum((row.profit_lost for row in segments), ZERO),
        segments=segments,
        loss_reasons=loss_reasons_addressed(rows=ranked[:TOP_LOSS_REASONS]),
        departments=departments,
        unowned_lost=owned.get(None, (0, ZERO))[0],
        did_not_move=did_not_move,
        did_not_move_count=did_not_move_count,
    )
