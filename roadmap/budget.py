"""Budget by purpose: spending per period by what it aims at, and duplicate spending across departments.

On the roadmap floor so that the budget page (review) and the API (`roadmap/api/budget.py`) read the same figures.

A budget line (`roadmap.InitiativeDepartment`) runs over its initiative's dates and is spread
evenly over them: in a period it counts for the days it shares with the period. A line aimed
at two metrics counts in both columns, so a department's total is the sum of its lines, not of
its cells. Cancelled initiatives (pooled ones among them) spend nothing. Duplicate spending is
defined in docs/domain.md; the reads below run a fixed number of queries at any data size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from core.periods import Period
from org.models import Department
from roadmap.models import Initiative, InitiativeDepartment

CENT = Decimal("0.01")
# The purposes a line can name: (kind shown on pages, attribute on the line).
PURPOSES = (("metric", "metrics"), ("loss reason", "loss_reasons"), ("segment", "segments"))


@dataclass(frozen=True)
class Line:
    """A budget line as the view reads it: its amount in the period and what it aims at."""

    line: InitiativeDepartment
    in_period: Decimal
    purposes: frozenset[tuple[str, int, str]]  # (kind, id, name)

    @property
    def start(self) -> dt.date:
        return self.line.initiative.start_date

    @property
    def end(self) -> dt.date:
        return self.line.initiative.end_date


@dataclass
class Matrix:
    """Spending by department (rows) and one kind of purpose (columns) in the period."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Department, list[Decimal | None], Decimal]] = field(default_factory=list)
    totals: list[Decimal] = field(default_factory=list)


@dataclass(frozen=True)
class Duplicate:
    """Two departments' lines aimed at the same thing in overlapping periods, the larger line first."""

    a: Line
    b: Line
    shared: tuple[str, ...]  # "metric: First contact resolution", …
    overlap_start: dt.date
    overlap_end: dt.date

    @property
    def sides(self) -> tuple[Line, Line]:
        return (self.a, self.b)

    @property
    def combined(self) -> Decimal:
        return self.a.line.budget + self.b.line.budget

    @property
    def combined_in_period(self) -> Decimal:
        return self.a.in_period + self.b.in_period


@dataclass
class Budget:
    period: Period
    lines: list[Line]
    by_department: list[tuple[Department, Decimal, Decimal]]  # department, in period, of which aimed at nothing
    matrices: list[Matrix]
    duplicates: list[Duplicate]

    @property
    def total(self) -> Decimal:
        return sum((line.in_period for line in self.lines), Decimal(0))


def budget_line_amount_in(*, budget: Decimal, start: dt.date, end: dt.date, period: Period) -> Decimal:
    """The part of a line's budget that falls in the period: its days in the period over all its days."""
    shared = (min(end, period.end) - max(start, period.start)).days + 1
    if shared <= 0:
        return Decimal(0)
    days = (end - start).days + 1
    return (budget * shared / days).quantize(CENT, rounding=ROUND_HALF_UP)


def budget_lines_in(*, period: Period) -> QuerySet[InitiativeDepartment]:
    """The lines of initiatives that are not cancelled and run for at least a day of the period."""
    return (
        InitiativeDepartment.objects.filter(
            initiative__start_date__lte=period.end, initiative__end_date__gte=period.start
        )
        .exclude(initiative__status=Initiative.Status.CANCELLED)
        .select_related("initiative", "department")
        .prefetch_related("metrics", "loss_reasons", "segments")
        .order_by("department__name", "initiative__start_date", "initiative__title", "pk")
    )


def _line(line: InitiativeDepartment, period: Period) -> Line:
    purposes = frozenset(
        (kind, target.pk, str(target)) for kind, attribute in PURPOSES for target in getattr(line, attribute).all()
    )
    start, end = line.initiative.start_date, line.initiative.end_date
    return Line(line, budget_line_amount_in(budget=line.budget, start=start, end=end, period=period), purposes)


def _matrix(kind: str, lines: list[Line]) -> Matrix:
    cells: dict[tuple[int, tuple[int, str]], Decimal] = defaultdict(Decimal)
    departments: dict[int, Department] = {}
    columns: dict[int, str] = {}
    for item in lines:
        for purpose_kind, pk, name in item.purposes:
            if purpose_kind == kind:
                departments[item.line.department_id] = item.line.department
                columns[pk] = name
                cells[(item.line.department_id, pk)] += item.in_period
    order = sorted(columns, key=lambda pk: columns[pk].lower())
    matrix = Matrix(kind, [columns[pk] for pk in order])
    for department in sorted(departments.values(), key=lambda d: d.name.lower()):
        row = [cells.get((department.pk, pk)) for pk in order]
        matrix.rows.append((department, row, sum((v for v in row if v is not None), Decimal(0))))
    matrix.totals = [sum((cells.get((d, pk), Decimal(0)) for d in departments), Decimal(0)) for pk in order]
    return matrix


def budget_duplicates(*, lines: list[Line], period: Period) -> list[Duplicate]:
    """Pairs of lines of different departments and initiatives, sharing a purpose, whose dates overlap
    by at least one day inside the period (dates are inclusive: lines that only touch do not overlap)."""
    by_purpose: dict[tuple[str, int, str], list[Line]] = defaultdict(list)
    for item in lines:
        for purpose in item.purposes:
            by_purpose[purpose].append(item)
    shared: dict[tuple[int, int], set[str]] = defaultdict(set)
    pairs: dict[tuple[int, int], tuple[Line, Line]] = {}
    for (kind, _pk, name), group in by_purpose.items():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                a, b = sorted((first, second), key=lambda x: (-x.line.budget, x.line.pk))
                if a.line.department_id == b.line.department_id or a.line.initiative_id == b.line.initiative_id:
                    continue
                start, end = max(a.start, b.start, period.start), min(a.end, b.end, period.end)
                if start > end:
                    continue
                pairs[(a.line.pk, b.line.pk)] = (a, b)
                shared[(a.line.pk, b.line.pk)].add(f"{kind}: {name}")
    found = [
        Duplicate(a, b, tuple(sorted(shared[key])), max(a.start, b.start), min(a.end, b.end))
        for key, (a, b) in pairs.items()
    ]
    return sorted(found, key=lambda d: (-d.combined, d.a.line.pk, d.b.line.pk))


def budget_get(*, period: Period) -> Budget:
    """The budget view for a period: four queries whatever the number of lines."""
    lines = [_line(line, period) for line in budget_lines_in(period=period)]
    totals: dict[int, list] = {}
    for item in lines:
        department = item.line.department
        entry = totals.setdefault(department.pk, [department, Decimal(0), Decimal(0)])
        entry[1] += item.in_period
        if not item.purposes:
            entry[2] += item.in_period
    by_department = [tuple(entry) for entry in sorted(totals.values(), key=lambda e: e[0].name.lower())]
    matrices = [_matrix(kind, lines) for kind, _attribute in PURPOSES]
    return Budget(period, lines, by_department, matrices, budget_duplicates(lines=lines, period=period))
