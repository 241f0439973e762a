"""Reads behind the roadmap grid (initiatives by departments) and an initiative's timeline.

Both run a fixed number of queries whatever the number of initiatives, departments or tasks.
The grid stays small at any size: it shows one page of initiatives (a search narrows them) and
one page of departments as columns, the rest of the departments summed in an "other" column.
Hand-offs are the seam between silos, so everyone sees them: the grid counts every
department's tasks for every role (only departments whose tasks the user may open are
marked openable, and only those cells link on), and the timeline shows the user's visible
tasks plus the other end of every hand-off that touches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from org.models import Department
from org.selectors import UserLike, user_department_ids, user_sees_everything
from roadmap.models import Initiative, Roadmap, Task
from roadmap.selectors import task_visible_to

CLOSED = (Task.Status.DONE, Task.Status.CANCELLED)
STATUS_ORDER = [s for s, _ in Task.Status.choices]
STATUS_LABELS = dict(Task.Status.choices)
INITIATIVES_PER_PAGE = 25
DEPARTMENTS_PER_PAGE = 12


@dataclass
class Cell:
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def by_status(self) -> list[tuple[str, str, int]]:
        return [(s, STATUS_LABELS[s], self.counts[s]) for s in STATUS_ORDER if self.counts.get(s)]

    def add(self, other: Cell) -> None:
        for status, n in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + n
        self.overdue += other.overdue


@dataclass
class Grid:
    roadmap: Roadmap | None
    roadmaps: list[Roadmap]
    initiatives: list[Initiative]
    departments: list[Department]
    rows: list[tuple[Initiative, list[Cell | None]]]
    openable: frozenset[int] | None = None  # departments whose tasks the user may open; None: all
    page: Page | None = None  # the page of initiatives shown
    search: str = ""
    department_page: Page | None = None  # the page of departments shown as columns
    others: list[Cell | None] = field(default_factory=list)  # per row: the departments on other column pages
    other_departments: int = 0  # how many departments those are

    def may_open(self, department_id: int) -> bool:
        return self.openable is None or department_id in self.openable


def roadmap_pick(*, roadmap_id: int | None, roadmaps: list[Roadmap]) -> Roadmap | None:
    """The roadmap asked for, else the active one, else the latest."""
    by_id = {r.pk: r for r in roadmaps}
    if roadmap_id in by_id:
        return by_id[roadmap_id]
    active = [r for r in roadmaps if r.status == Roadmap.Status.ACTIVE]
    return (active or roadmaps or [None])[0]


def roadmap_grid_get(
    *, user: UserLike, roadmap_id: int | None = None, search: str = "", page: int = 1, department_page: int = 1
) -> Grid:
    """One page of a roadmap's approved initiatives by one page of the departments with tasks in them.

    Initiatives in start order (a search narrows them by title), 25 a page; the departments with
    tasks in those initiatives, by name, 12 a page, the others summed per initiative.
    """
    roadmaps = list(Roadmap.objects.all())
    roadmap = roadmap_pick(roadmap_id=roadmap_id, roadmaps=roadmaps)
    if roadmap is None:
        return Grid(None, [], [], [], [])
    # Only approved initiatives are on the roadmap: drafts and proposals wait on the CCO office.
    listed = Initiative.objects.filter(roadmap=roadmap, proposal=Initiative.Proposal.APPROVED)
    if search:
        listed = listed.filter(title__icontains=search)
    paginator = Paginator(listed.select_related("owner").order_by("start_date", "title", "id"), INITIATIVES_PER_PAGE)
    shown = paginator.get_page(page)
    initiatives = list(shown.object_list)
    cells = _cells(initiative_ids=[i.pk for i in initiatives])
    used = {department_id for _, department_id in cells}
    # A list of a few dozen ids at most: the departments are paged in Python, from one query.
    departments_page = Paginator(list(Department.objects.filter(pk__in=used).order_by("name")), DEPARTMENTS_PER_PAGE)
    columns = departments_page.get_page(department_page)
    departments = list(columns.object_list)
    rows = [(i, [cells.get((i.pk, d.pk)) for d in departments]) for i in initiatives]
    openable = None if user_sees_everything(user=user) else user_department_ids(user=user)
    shown_ids = {d.pk for d in departments}
    others: dict[int, Cell] = {}
    for (initiative_id, department_id), cell in cells.items():
        if department_id not in shown_ids:
            others.setdefault(initiative_id, Cell()).add(cell)
    return Grid(
        roadmap,
        roadmaps,
        initiatives,
        departments,
        rows,
        openable,
        page=shown,
        search=search,
        department_page=columns,
        others=[others.get(i.pk) for i in initiatives],
        other_departments=len(used) - len(departments),
    )


def _cells(*, initiative_ids: list[int]) -> dict[tuple[int, int], Cell]:
    """Each (initiative, department)'s task counts by status, and its overdue tasks; one grouped query."""
    today = timezone.localdate()
    overdue = Q(due_date__lt=today) & ~Q(status__in=CLOSED)
    by_status = {status: Count("id", filter=Q(status=status)) for status in STATUS_ORDER}
    counts = (
        Task.objects.filter(initiative_id__in=initiative_ids)  # no join: the grid index covers it
        .order_by()
        .values_list("initiative_id", "department_id")
        .annotate(**by_status, overdue=Count("id", filter=overdue))
    )
    cells: dict[tuple[int, int], Cell] = {}
    for initiative_id, department_id, *numbers in counts:
        *per_status, late = numbers
        status_counts = {status: n for status, n in zip(STATUS_ORDER, per_status, strict=True) if n}
        cells[(initiative_id, department_id)] = Cell(status_counts, late)
    return cells


@dataclass
class HandOff:
    source: Task  # the task waited on
    target: Task  # the task that waits
    late: bool  # the task waited on is overdue (not done or cancelled, due date passed)


@dataclass
class Timeline:
    initiative: Initiative
    lanes: list[tuple[Department, list[Task]]]
    hand_offs: list[HandOff]
    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def late_hand_offs(self) -> list[HandOff]:
        return [h for h in self.hand_offs if h.late]


def initiative_timeline_get(*, initiative: Initiative, user: UserLike) -> Timeline:
    """An initiative's tasks by department and due date, with the hand-offs between departments.

    The user's visible tasks, plus the other end of each hand-off touching them (named, with
    `visible` False so that pages do not link to it).
    """
    fields = ("title", "due_date", "status", "department_id", "department__name", "owner__username")
    everything = list(
        Task.objects.filter(initiative=initiative)
        .select_related("department", "owner")
        .only("initiative_id", *fields, "owner__first_name", "owner__last_name")
        .order_by("department__name", "due_date", "id")
    )
    all_by_id = {t.pk: t for t in everything}
    for task in everything:
        task.visible = task_visible_to(task=task, user=user)
    today = timezone.localdate()
    edges = Task.depends_on.through.objects.filter(from_task_id__in=all_by_id, to_task_id__in=all_by_id)
    hand_offs = [
        HandOff(source=all_by_id[to_id], target=all_by_id[from_id], late=_overdue(all_by_id[to_id], today))
        for from_id, to_id in edges.values_list("from_task_id", "to_task_id")
        if all_by_id[to_id].department_id != all_by_id[from_id].department_id
        and (all_by_id[to_id].visible or all_by_id[from_id].visible)
    ]
    ends = {h.source.pk for h in hand_offs} | {h.target.pk for h in hand_offs}
    shown = {t.pk for t in everything if t.visible} | ends
    tasks = [t for t in everything if t.pk in shown]
    lanes: dict[int, tuple[Department, list[Task]]] = {}
    for task in tasks:
        lanes.setdefault(task.department_id, (task.department, []))[1].append(task)
    # The span of the tasks (and today), padded; the initiative's own dates when it has no tasks.
    dates = [t.due_date for t in tasks] + [today] if tasks else [initiative.start_date, initiative.end_date]
    margin = dt.timedelta(days=max((max(dates) - min(dates)).days // 20, 3))
    return Timeline(
        initiative=initiative,
        lanes=list(lanes.values()),
        hand_offs=sorted(hand_offs, key=lambda h: (h.source.due_date, h.source.pk, h.target.pk)),
        start=_shifted(min(dates), -margin),
        end=_shifted(max(dates), margin),
        today=today,
    )


def _shifted(day: dt.date, delta: dt.timedelta) -> dt.date:
    """`day + delta`, held at the first or last date there is (a task due in year 1 or 9999)."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.min if delta < dt.timedelta(0) else dt.date.max


def _overdue(task: Task, today: dt.date) -> bool:
    return task.status not in CLOSED and task.due_date < today
