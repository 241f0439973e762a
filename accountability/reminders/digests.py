"""What the weekly digests say: a fixed number of queries per digest, whatever the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accountability.models import Recognition
from core.periods import Period, PeriodKind, org_zone
from customers.models import CustomerMovement, Metric, Reading, Target
from org.models import Department
from roadmap.models import Health, Initiative, Task
from roadmap.selectors import TOP_LOSS_REASONS, loss_reasons_top

OPEN = ~Q(status__in=[Task.Status.DONE, Task.Status.CANCELLED])
OPEN_TASKS = ~Q(tasks__status__in=[Task.Status.DONE, Task.Status.CANCELLED])
AT_RISK_DAYS = 7  # due within a week and blocked or reported amber/red


def _aggregate(metric: Metric, values: list[tuple[dt.date, Decimal]]) -> Decimal | None:
    if not values:
        return None
    if metric.aggregation == Metric.Aggregation.SUM:
        return sum((v for _, v in values), Decimal(0))
    if metric.aggregation == Metric.Aggregation.AVERAGE:
        return sum((v for _, v in values), Decimal(0)) / len(values)
    return max(values, key=lambda dv: dv[0])[1]


def _is_green(metric: Metric, target: Target, value: Decimal) -> bool:
    if metric.direction == Metric.Direction.HIGHER:
        return value >= target.target_value
    return value <= target.target_value


def metrics_off_target(*, department: Department | None, today: dt.date) -> list[dict]:
    """Targets of the current month and quarter whose aggregated readings are not green (or missing)."""
    periods = [Period.containing(today, kind) for kind in PeriodKind.values]
    period_q = Q()
    for period in periods:
        period_q |= Q(period_kind=period.kind, period_start=period.start)
    targets = list(Target.objects.filter(period_q, department=department).select_related("metric"))
    first = min(p.start for p in periods)
    readings = defaultdict(list)
    for metric_id, day, value in Reading.objects.filter(
        metric__in={t.metric_id for t in targets}, department=department, date__gte=first, date__lte=today
    ).values_list("metric_id", "date", "value"):
        readings[metric_id].append((day, value))
    off = []
    for target in targets:
        period = target.period
        values = [(d, v) for d, v in readings[target.metric_id] if period.start <= d <= period.end]
        value = _aggregate(target.metric, values)
        if value is None or not _is_green(target.metric, target, value):
            off.append({"metric": target.metric, "period": period, "target": target, "value": value})
    return off


def losses_this_week(*, department: Department | None, today: dt.date) -> list[dict]:
    """Customers lost in the seven days to `today`, by reason, largest first."""
    movements = CustomerMovement.objects.filter(
        kind=CustomerMovement.Kind.LOST, date__gt=today - dt.timedelta(days=7), date__lte=today
    )
    if department is not None:
        movements = movements.filter(department=department)
    rows = movements.values("loss_reason__name").annotate(lost=Sum("count")).order_by("-lost", "loss_reason__name")
    return [{"reason": r["loss_reason__name"] or "No reason given", "lost": r["lost"]} for r in rows]


def recognitions_this_week(*, department: Department, today: dt.date) -> list[Recognition]:
    """Thank-yous of the seven days to `today` to the department's people or for its tasks (as its review page
    shows them): recognition that is seen, by the head who can pass it on."""
    since = dt.datetime.combine(today - dt.timedelta(days=6), dt.time(), tzinfo=org_zone())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=org_zone())
    people = Q(recipient__departments=department) | Q(recipient__headed_departments=department)
    ids = Recognition.objects.filter(
        Q(task__department=department) | people, created_at__gte=since, created_at__lt=until
    )
    return list(
        Recognition.objects.filter(pk__in=ids.values("pk"))
        .select_related("giver", "recipient", "task", "initiative", "metric")
        .order_by("-created_at", "-pk")
    )


def head_digest(*, department: Department, today: dt.date) -> dict:
    """A head's week: overdue and at-risk tasks, metrics off target, customers lost and why, recognitions."""
    tasks = Task.objects.filter(OPEN, department=department).select_related("owner").order_by("due_date", "id")
    overdue = list(tasks.filter(due_date__lt=today))
    for task in overdue:
        task.days_late = (today - task.due_date).days
    soon = Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=AT_RISK_DAYS))
    worried = Q(status=Task.Status.BLOCKED) | Q(check_ins__confidence__in=[Health.AMBER, Health.RED])
    at_risk = list(tasks.filter(soon & worried).distinct())
    losses = losses_this_week(department=department, today=today)
    return {
        "overdue": overdue,
        "at_risk": at_risk,
        "off_target": metrics_off_target(department=department, today=today),
        "losses": losses,
        "lost_total": sum(r["lost"] for r in losses),
        "recognitions": recognitions_this_week(department=department, today=today),
    }


def cco_digest(*, today: dt.date) -> dict:
    """Every department, worst first (overdue, then blocked, then customers lost), and initiatives in trouble."""
    week = Q(customer_movements__kind="lost", customer_movements__date__gt=today - dt.timedelta(days=7))
    departments = Department.objects.annotate(
        overdue=Count("tasks", filter=Q(tasks__due_date__lt=today) & OPEN_TASKS),
        blocked=Count("tasks", filter=Q(tasks__status=Task.Status.BLOCKED)),
        open_tasks=Count("tasks", filter=OPEN_TASKS),
    ).select_related("head")
    lost = dict(
        Department.objects.filter(week, customer_movements__date__lte=today)
        .annotate(lost=Sum("customer_movements__count"))
        .values_list("id", "lost")
    )
    rows = sorted(departments, key=lambda d: (-d.overdue, -d.blocked, -lost.get(d.id, 0), d.name))
    for department in rows:
        department.lost = lost.get(department.id, 0)
    trouble = (
        Initiative.objects.filter(status__in=[Initiative.Status.ACTIVE, Initiative.Status.PLANNED])
        .annotate(overdue=Count("tasks", filter=Q(tasks__due_date__lt=today) & OPEN_TASKS))
        .filter(Q(health__in=[Health.AMBER, Health.RED]) | Q(overdue__gt=0))
        .select_related("owner")
        .order_by("-overdue", "title")
    )
    quarter = Period.containing(today)
    return {
        "departments": rows,
        "initiatives": list(trouble),
        "losses": losses_this_week(department=None, today=today),
        "quarter": quarter,
        "top_loss_reasons": loss_reasons_top(start=quarter.start, end=today, limit=TOP_LOSS_REASONS),
    }
