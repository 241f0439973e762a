"""The demo roadmaps, initiatives, tasks (with hand-offs) and check-ins, generated in memory.

Everything is drawn from one seeded `random.Random` and dated relative to `today`, so a run on a
given day always builds the same plan. Writing is in `demo.plan_write`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from demo import catalogue
from demo.people import People
from org.models import Department
from roadmap.models import Health, Initiative, Roadmap, Task

ARCHIVED_SHARE = 0.3  # of initiatives, on last year's roadmap
HANDOFF_ODDS = 0.35  # chance that a task waits on earlier tasks of its initiative
STALE_ODDS = 0.2  # chance that an in-progress task has had no check-in for over two weeks


@dataclass
class InitiativeSpec:
    roadmap: str  # "active" or "archived"
    title: str
    outcome: str
    metric_codes: list[str]
    budgets: dict[Department, int]
    start: dt.date
    end: dt.date
    status: str
    health: str = Health.GREEN


@dataclass
class TaskSpec:
    index: int
    initiative: int  # index into the initiative specs
    department: Department
    owner: object
    title: str
    due: dt.date
    status: str
    percent: int
    completed_at: dt.datetime | None = None
    status_changed_at: dt.datetime | None = None
    depends_on: list[int] = field(default_factory=list)
    check_ins: list[tuple[dt.date, int, str, str]] = field(default_factory=list)  # date, percent, confidence, note


def fiscal_years(today: dt.date) -> dict[str, tuple[str, dt.date, dt.date, str]]:
    """The April-to-March year containing today (active) and the one before (archived)."""
    start_year = today.year if today.month >= 4 else today.year - 1
    years = {"active": (start_year, Roadmap.Status.ACTIVE), "archived": (start_year - 1, Roadmap.Status.ARCHIVED)}
    return {
        key: (f"FY{year + 1} customer roadmap", dt.date(year, 4, 1), dt.date(year + 1, 3, 31), status)
        for key, (year, status) in years.items()
    }


def at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=timezone.get_current_timezone())


def initiatives_generate(*, rng: random.Random, today: dt.date, people: People, count: int) -> list[InitiativeSpec]:
    by_slug = {d.slug: d for d in people.departments}
    extra = [d for d in people.departments if d.slug not in {s for _, s in catalogue.CORE_DEPARTMENTS}]
    years = fiscal_years(today)
    specs = []
    for i in range(count):
        title, outcome, metric_codes, slugs = catalogue.INITIATIVES[i % len(catalogue.INITIATIVES)]
        wave = i // len(catalogue.INITIATIVES)
        key = "archived" if (i * 7) % 10 < ARCHIVED_SHARE * 10 else "active"
        _, period_start, period_end, _ = years[key]
        start = period_start + dt.timedelta(days=rng.randint(0, 150))
        end = min(period_end, start + dt.timedelta(days=rng.randint(120, 300)))
        departments = [by_slug[s] for s in slugs] + (rng.sample(extra, min(len(extra), 2)) if extra else [])
        if key == "archived":
            status = Initiative.Status.DONE if rng.random() < 0.9 else Initiative.Status.CANCELLED
        elif end < today:
            status = Initiative.Status.DONE
        elif start > today:
            status = Initiative.Status.PLANNED
        else:
            status = Initiative.Status.ON_HOLD if rng.random() < 0.07 else Initiative.Status.ACTIVE
        specs.append(
            InitiativeSpec(
                roadmap=key,
                title=f"{title} (wave {wave + 1})" if wave else title,
                outcome=outcome,
                metric_codes=list(metric_codes),
                budgets={d: rng.randint(5, 250) * 1000 for d in departments},
                start=start,
                end=end,
                status=status,
            )
        )
    return specs


def _outcome(rng: random.Random, today: dt.date, spec: InitiativeSpec, due: dt.date) -> tuple[str, dt.date | None]:
    """A task's status, and its completion day when done."""
    S = Task.Status
    if spec.status == Initiative.Status.CANCELLED:
        return S.CANCELLED, None
    overdue_days = (today - due).days
    if spec.status == Initiative.Status.DONE or overdue_days > 0:
        r = 0.0 if spec.status == Initiative.Status.DONE else rng.random()
        if r < 0.55 or (r < 0.75 and overdue_days < 2):
            return S.DONE, max(spec.start, due - dt.timedelta(days=rng.randint(0, 10)))
        if r < 0.75:
            return S.DONE, due + dt.timedelta(days=rng.randint(1, min(45, overdue_days - 1)))
        return rng.choices([S.IN_PROGRESS, S.BLOCKED, S.NOT_STARTED, S.CANCELLED], [12, 7, 3, 3])[0], None
    if spec.start > today or spec.status == Initiative.Status.PLANNED:
        return S.NOT_STARTED, None
    status = rng.choices([S.DONE, S.IN_PROGRESS, S.BLOCKED, S.NOT_STARTED], [10, 35, 7, 48])[0]
    return status, (max(spec.start, today - dt.timedelta(days=rng.randint(0, 20))) if status == S.DONE else None)


def _check_ins(rng: random.Random, today: dt.date, task: TaskSpec, begin: dt.date, done_on: dt.date | None) -> None:
    if task.status not in (Task.Status.IN_PROGRESS, Task.Status.BLOCKED, Task.Status.DONE):
        return
    quiet_days = rng.randint(15, 40) if rng.random() < STALE_ODDS else rng.randint(0, 9)
    last = done_on or max(begin, today - dt.timedelta(days=quiet_days))
    begin = min(max(begin, task.due - dt.timedelta(days=90)), last)
    count = rng.randint(1, 4)
    span = (last - begin).days
    days = sorted({begin + dt.timedelta(days=rng.randint(0, span)) for _ in range(count - 1)} | {last})
    percents = [*sorted(rng.randint(5, max(5, task.percent)) for _ in days[:-1]), task.percent]
    overdue = task.due < today and task.status != Task.Status.DONE
    for n, (day, percent) in enumerate(zip(days, percents, strict=True)):
        final = n == len(days) - 1
        if final and task.status == Task.Status.BLOCKED:
            confidence = Health.RED
        elif overdue and final:
            confidence = rng.choice([Health.AMBER, Health.RED])
        else:
            confidence = rng.choices([Health.GREEN, Health.AMBER], [85, 15])[0]
        task.check_ins.append((day, percent, confidence, rng.choice(catalogue.CHECK_IN_NOTES[confidence])))


def _task(rng, today, people, index, i, spec: InitiativeSpec) -> TaskSpec:
    department = rng.choice(list(spec.budgets))
    first_due = min(spec.end, spec.start + dt.timedelta(days=14))
    due = first_due + dt.timedelta(days=rng.randint(0, (spec.end - first_due).days))
    status, done_on = _outcome(rng, today, spec, due)
    members = people.members[department.pk]
    owner = rng.choice(members) if rng.random() < 0.95 else None
    percent = {Task.Status.DONE: 100, Task.Status.NOT_STARTED: 0}.get(status, rng.randint(10, 90))
    task = TaskSpec(
        index=index,
        initiative=i,
        department=department,
        owner=owner,
        title=f"{rng.choice(catalogue.TASK_VERBS)} {spec.title.lower()} ({department.name.lower()} #{index + 1})",
        due=due,
        status=status,
        percent=percent,
        completed_at=at(done_on) if done_on else None,
    )
    _check_ins(rng, today, task, spec.start, done_on)
    changed = task.check_ins[-1][0] if task.check_ins else min(spec.start, today)
    task.status_changed_at = task.completed_at or at(changed, 9)
    return task


def tasks_generate(
    *, rng: random.Random, today: dt.date, people: People, initiatives: list[InitiativeSpec], count: int
) -> list[TaskSpec]:
    """Tasks spread over the initiatives; a task depends only on earlier-due tasks of its own
    initiative, so the hand-offs never make a cycle."""
    weights = [rng.uniform(0.5, 1.5) for _ in initiatives]
    owners = rng.choices(range(len(initiatives)), weights, k=count)
    tasks = [_task(rng, today, people, n, i, initiatives[i]) for n, i in enumerate(sorted(owners))]
    tasks.sort(key=lambda t: (t.initiative, t.due, t.index))
    for n, task in enumerate(tasks):
        task.index = n
    previous: list[TaskSpec] = []
    for task in tasks:
        if previous and previous[-1].initiative != task.initiative:
            previous = []
        if previous and rng.random() < HANDOFF_ODDS:
            others = [p for p in previous if p.department != task.department] or previous
            task.depends_on = sorted({p.index for p in rng.sample(others[-6:], min(len(others[-6:]), 2))})
        previous.append(task)
    totals, overdue = [0] * len(initiatives), [0] * len(initiatives)
    for task in tasks:
        totals[task.initiative] += 1
        overdue[task.initiative] += task.due < today and task.status not in (Task.Status.DONE, Task.Status.CANCELLED)
    for spec, total, late in zip(initiatives, totals, overdue, strict=True):
        share = late / total if total else 0
        spec.health = Health.RED if share > 0.2 else Health.AMBER if share > 0.08 else Health.GREEN
    return tasks
