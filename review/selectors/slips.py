"""The slips report: the slips moved in a period, per department, with its totals (three queries).

Each department shows its latest slips, SHOWN at most (5 on the company's report, where
every department is listed); its counts and days cover all of them, and its heading links to its
own report (and that to the Slip list) for the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from core.periods import Period, org_zone
from org.models import Department
from org.selectors import UserLike
from roadmap.models import Slip
from roadmap.selectors import slip_list

SHOWN = 50  # slips listed on a department's report; the company's lists fewer per department
SHOWN_PER_DEPARTMENT = 5
SHOWN_WITH = ("task__department", "task__owner", "moved_by", "decided_by")  # what a listed slip shows
_NAMED = ("username", "first_name", "last_name")  # what a person is shown by
# Only the columns shown: people's passwords, logins and join dates, and tasks' descriptions, read
# for each of the 250 slips of the company's report, were most of its reading time.
SHOWN_FIELDS = (
    *(f.name for f in Slip._meta.concrete_fields),
    "task__title",
    "task__owner",
    "task__department",
    "task__department__name",
    "task__department__slug",
    *(f"{person}__{name}" for person in ("task__owner", "moved_by", "decided_by") for name in _NAMED),
)


@dataclass
class DepartmentSlips:
    department: Department
    slips: list[Slip] = field(default_factory=list)  # the latest ones, `shown` at most
    total: int = 0
    approved: int = 0
    pending: int = 0
    refused: int = 0
    days: int = 0  # moved by the approved slips

    @property
    def more(self) -> int:
        return self.total - len(self.slips)


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's first and next-after-last moments in the organisation's time zone."""
    zone = org_zone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def slips_report_get(*, period: Period, user: UserLike, department: Department | None = None) -> list[DepartmentSlips]:
    """The slips this user may see moved in `period`, grouped by the task's department (by name)."""
    start, end = _bounds(period)
    slips = slip_list(user=user).filter(moved_at__gte=start, moved_at__lt=end)
    if department is not None:
        slips = slips.filter(task__department=department)
    approved = Q(status=Slip.Status.APPROVED)
    totals = (
        slips.order_by()
        .values("task__department_id")
        .annotate(
            total=Count("id"),
            approved=Count("id", filter=approved),
            pending=Count("id", filter=Q(status=Slip.Status.PENDING)),
            refused=Count("id", filter=Q(status=Slip.Status.REJECTED)),
            days=Sum("days", filter=approved),
        )
    )
    shown = SHOWN if department is not None else SHOWN_PER_DEPARTMENT
    order = [F("moved_at").desc(), F("id").desc()]
    # Ranked on the slips' own narrow rows, then only the latest read, by id, with their tasks and
    # people: ranking the joined rows sorted every slip of the period with its task and three people.
    # The outer query names nothing but the ids, or SQLite walks the department's tasks for each.
    ranked = slips.select_related(None).annotate(
        rank=Window(RowNumber(), partition_by=[F("task__department_id")], order_by=order)
    )
    latest = (
        Slip.objects.filter(pk__in=ranked.filter(rank__lte=shown).values("pk"))
        .select_related(*SHOWN_WITH)
        .only(*SHOWN_FIELDS)
    )
    groups: dict[int, DepartmentSlips] = {}
    for slip in latest.order_by("task__department__name", "-moved_at", "-id"):
        group = groups.setdefault(slip.task.department_id, DepartmentSlips(department=slip.task.department))
        group.slips.append(slip)
    for row in totals:
        group = groups[row["task__department_id"]]
        group.total, group.approved, group.pending, group.refused = (
            row["total"],
            row["approved"],
            row["pending"],
            row["refused"],
        )
        group.days = row["days"] or 0
    return list(groups.values())
