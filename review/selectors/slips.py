"""The slips report: every slip moved in a period, per department, with its totals (two queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.periods import Period, org_zone
from org.models import Department
from org.selectors import UserLike
from roadmap.models import Slip
from roadmap.selectors import slip_list


@dataclass
class DepartmentSlips:
    department: Department
    slips: list[Slip] = field(default_factory=list)

    @property
    def days(self) -> int:
        return sum(s.days for s in self.slips if s.status == Slip.Status.APPROVED)

    def count(self, status: str) -> int:
        return sum(1 for s in self.slips if s.status == status)

    @property
    def approved(self) -> int:
        return self.count(Slip.Status.APPROVED)

    @property
    def pending(self) -> int:
        return self.count(Slip.Status.PENDING)

    @property
    def refused(self) -> int:
        return self.count(Slip.Status.REJECTED)


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
    groups: dict[int, DepartmentSlips] = {}
    for slip in slips.order_by("task__department__name", "-moved_at", "-id"):
        group = groups.setdefault(slip.task.department_id, DepartmentSlips(department=slip.task.department))
        group.slips.append(slip)
    return list(groups.values())
