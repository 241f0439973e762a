"""Budget by purpose: spending per period by what it aims at, and duplicate spending across departments.

On the roadmap floor so that the budget page (review) and the API (`roadmap/api/budget.py`) read the same figures.

A budget line (`roadmap.InitiativeDepartment`) runs over its initiative's dates and is spread
evenly over them: in a period it counts for the days it shares with the period. A line aimed
at two metrics counts in both columns, so a department's total is the sum of its lines, not of
its cells. Cancelled initiatives (pooled ones among them) spend nothing. Duplicate spending is
defined in docs/domain.md; the reads below run a fixed number of queries at any data size.

A line's part in a period is rounded to the cent on its own, then parts are added up. The
departments' totals are added up by the database, in whole cents rounded as
`budget_line_amount_in` rounds (`_cents_in`): a large company has tens of thousands of lines in
a quarter, and reading each into Python took most of the page's time (825 ms at 100x the demo).
Only the lines aimed at something are read one by one, for the matrices and the duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, F, Func, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Greatest, Least, Round

from core.periods import Period
from org.models import Department
from roadmap.models import Initiative, InitiativeDepartment

CENT = Decimal("0.01")
# The purposes a line can name: (kind shown on pages, attribute on the line).
PURPOSES = (("metric", "metrics"), ("loss reason", "loss_reasons"), ("segment", "segments"))


@dataclass(frozen=True)
class Line:
    """A budget line as the view reads it: its amount in the period and what it aims at.

    Read as a plain row; the line itself (`line`, with its initiative and department) is made
    only for the lines shown side by side as duplicate spending.
    """

    pk: int
    initiative_id: int
    department: Department
    budget: Decimal
    start: dt.date
    end: dt.date
    in_period: Decimal
    purposes: frozenset[tuple[str, int, str]]  # (kind, id, name)
    title: str = ""  # the initiative's
    line: InitiativeDepartment | None = None

    @property
    def department_id(self) -> int:
        return self.department.pk


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
        return self.a.budget + self.b.budget

    @property
    def combined_in_period(self) -> Decimal:
        return self.a.in_period + self.b.in_period


@dataclass
class Budget:
    period: Period
    total: Decimal
    by_department: list[tuple[Department, Decimal, Decimal]]  # department, in period, of which aimed at nothing
    matrices: list[Matrix]
    duplicates: list[Duplicate]


def budget_line_amount_in(*, budget: Decimal, start: dt.date, end: dt.date, period: Period) -> Decimal:
    """The part of a line's budget that falls in the period: its days in the period over all its days."""
    shared = (min(end, period.end) - max(start, period.start)).days + 1
    if shared <= 0:
        return Decimal(0)
    days = (end - start).days + 1
    return (budget * shared / days).quantize(CENT, rounding=ROUND_HALF_UP)


def _running_in(period: Period, line: str = "") -> Q:
    """Lines (`line` the path to them) of initiatives that are not cancelled and run for a day of the period."""
    initiative = f"{line}initiative__"
    running = {f"{initiative}start_date__lte": period.end, f"{initiative}end_date__gte": period.start}
    return Q(**running) & ~Q(**{f"{initiative}status": Initiative.Status.CANCELLED})


def budget_lines_in(*, period: Period) -> QuerySet[InitiativeDepartment]:
    """The lines of initiatives that are not cancelled and run for at least a day of the period."""
    return (
        InitiativeDepartment.objects.filter(_running_in(period))
        .select_related("initiative", "department")
        .order_by("department__name", "initiative__start_date", "initiative__title", "pk")
    )


class _DaysBetween(Func):
    """Whole days from the second date to the first: date - date on PostgreSQL, Julian days on SQLite."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)


def _cents_in(period: Period) -> CombinedExpression:
    """A line's part in the period in whole cents, rounded half up: `budget_line_amount_in` in SQL.

    In integers, so exact on both databases. budget * shared / days is split into whole days'
    worth (budget // days * shared) and the rest (budget % days * shared / days, rounded half up
    as (2 * rest * shared + days) // (2 * days)), so that no product outgrows 64 bits whatever
    the budget (up to 14 digits) and the initiative's length. Budgets are not negative (a constraint).
    """
    start, end = F("initiative__start_date"), F("initiative__end_date")
    cents = Cast(Round(F("budget") * 100), BigIntegerField())
    days = _DaysBetween(end, start) + 1
    shared = _DaysBetween(Least(end, Value(period.end)), Greatest(start, Value(period.start))) + 1
    whole = cents / days
    rest = cents - whole * days
    return whole * shared + (2 * rest * shared + days) / (2 * days)


def _cents_by_department(lines: QuerySet[InitiativeDepartment], period: Period) -> dict[int, int]:
    """Each department's lines' parts in the period, in cents, added up by the database: one query."""
    sums = lines.order_by().values_list("department_id").annotate(cents=Sum(_cents_in(period)))
    return {department_id: int(cents) for department_id, cents in sums}


def _aimed_lines(period: Period, departments: dict[int, Department]) -> list[Line]:
    """The lines aimed at something, with their purposes (kind, id, name): one query of plain rows per kind.

    Prefetching the three relations of thousands of lines built a queryset per line and
    relation: 9 of the budget page's 10 s at 20x the demo. Each query starts from the links,
    not from the lines of the period (tens of thousands at 100x the demo, most aimed at nothing).
    """
    fields = ("initiative_id", "department_id", "budget", "initiative__start_date", "initiative__end_date")
    rows: dict[int, tuple] = {}
    purposes: dict[int, set[tuple[str, int, str]]] = defaultdict(set)
    for kind, attribute in PURPOSES:
        through = getattr(InitiativeDepartment, attribute).through
        target = getattr(InitiativeDepartment, attribute).rel.model._meta.model_name  # metric, lossreason, …
        links = through.objects.filter(_running_in(period, "initiativedepartment__")).values_list(
            "initiativedepartment_id",
            f"{target}_id",
            f"{target}__name",  # what the three print (__str__)
            *(f"initiativedepartment__{name}" for name in fields),
            "initiativedepartment__initiative__title",
        )
        for line_id, target_id, name, *row in links:
            purposes[line_id].add((kind, target_id, name))
            rows[line_id] = tuple(row)
    aimed = [
        Line(
            pk=pk,
            initiative_id=initiative_id,
            department=departments[department_id],
            budget=budget,
            start=start,
            end=end,
            in_period=budget_line_amount_in(budget=budget, start=start, end=end, period=period),
            purposes=frozenset(purposes[pk]),
            title=title,
        )
        for pk, (initiative_id, department_id, budget, start, end, title) in rows.items()
    ]
    return sorted(aimed, key=lambda line: (line.department.name, line.start, line.title, line.pk))  # as listed


def _shown(line: Line) -> Line:
    """The line with its model objects, for showing it side by side (built from its row: no query)."""
    initiative = Initiative(pk=line.initiative_id, title=line.title, start_date=line.start, end_date=line.end)
    shown = InitiativeDepartment(pk=line.pk, initiative=initiative, department=line.department, budget=line.budget)
    return replace(line, line=shown)


def _matrix(kind: str, lines: list[Line]) -> Matrix:
    cells: dict[tuple[int, tuple[int, str]], Decimal] = defaultdict(Decimal)
    departments: dict[int, Department] = {}
    columns: dict[int, str] = {}
    for item in lines:
        for purpose_kind, pk, name in item.purposes:
            if purpose_kind == kind:
                departments[item.department_id] = item.department
                columns[pk] = name
                cells[(item.department_id, pk)] += item.in_period
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
                a, b = sorted((first, second), key=lambda x: (-x.budget, x.pk))
                if a.department_id == b.department_id or a.initiative_id == b.initiative_id:
                    continue
                start, end = max(a.start, b.start, period.start), min(a.end, b.end, period.end)
                if start > end:
                    continue
                pairs[(a.pk, b.pk)] = (a, b)
                shared[(a.pk, b.pk)].add(f"{kind}: {name}")
    found = [
        Duplicate(_shown(a), _shown(b), tuple(sorted(shared[key])), max(a.start, b.start), min(a.end, b.end))
        for key, (a, b) in pairs.items()
    ]
    return sorted(found, key=lambda d: (-d.combined, d.a.pk, d.b.pk))


def budget_get(*, period: Period) -> Budget:
    """The budget view for a period: five queries whatever the number of lines."""
    cents_by_department = _cents_by_department(budget_lines_in(period=period), period)
    departments = Department.objects.in_bulk(list(cents_by_department))
    aimed = _aimed_lines(period, departments)
    aimed_in_period: dict[int, Decimal] = defaultdict(Decimal)
    for item in aimed:
        aimed_in_period[item.department_id] += item.in_period
    by_department = []
    for department_id, cents in cents_by_department.items():
        in_period = Decimal(cents).scaleb(-2)
        by_department.append((departments[department_id], in_period, in_period - aimed_in_period[department_id]))
    by_department.sort(key=lambda entry: (entry[0].name.lower(), entry[0].name))
    total = sum((in_period for _department, in_period, _loose in by_department), Decimal(0))
    matrices = [_matrix(kind, aimed) for kind, _attribute in PURPOSES]
    return Budget(period, total, by_department, matrices, budget_duplicates(lines=aimed, period=period))
