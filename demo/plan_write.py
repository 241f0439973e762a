"""Writes the generated plan: roadmaps, initiatives, tasks with hand-offs, check-ins, recognitions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from accountability.recognition.services import recognition_create
from customers.models import Metric
from demo.budget_story import duplicate_spending_build
from demo.pay_story import pay_build
from demo.people import People
from demo.plan import InitiativeSpec, TaskSpec, at, fiscal_years, initiatives_generate, tasks_generate
from demo.slips import promises_and_slips_write
from demo.task_force_story import task_force_build
from demo.writing import Progress, bulk_insert
from roadmap.models import CheckIn, Initiative, InitiativeDepartment, Roadmap, Task
from roadmap.services import initiative_create


def _roadmaps(today: dt.date) -> dict[str, Roadmap]:
    roadmaps = {}
    for key, (name, start, end, status) in fiscal_years(today).items():
        roadmap = Roadmap(name=name, period_start=start, period_end=end, status=status)
        roadmap.full_clean()
        roadmap.save()
        roadmaps[key] = roadmap
    return roadmaps


def _initiative_fields(spec: InitiativeSpec, roadmaps: dict[str, Roadmap], people: People) -> dict:
    return {
        "roadmap": roadmaps[spec.roadmap],
        "title": spec.title,
        "outcome": spec.outcome,
        "owner": people.cco,
        "start_date": spec.start,
        "end_date": spec.end,
        "status": spec.status,
        "health": spec.health,
        "proposal": Initiative.Proposal.APPROVED,  # the roadmap's own; demo/proposals.py adds proposals
    }


def _task_fields(spec: TaskSpec, initiatives: list[Initiative]) -> dict:
    return {
        "initiative": initiatives[spec.initiative],
        "department": spec.department,
        "owner": spec.owner,
        "title": spec.title,
        "due_date": spec.due,
        "status": spec.status,
        "percent_complete": spec.percent,
        "completed_at": spec.completed_at,
    }


def _initiatives_with_services(specs, roadmaps, people, metrics, progress: Progress) -> list[Initiative]:
    return [
        initiative_create(
            departments={d: Decimal(b) for d, b in spec.budgets.items()},
            metrics=[metrics[c] for c in spec.metric_codes],
            **_initiative_fields(spec, roadmaps, people),
        )
        for spec in specs
    ]


def _initiatives_in_bulk(specs, roadmaps, people, metrics, progress: Progress) -> list[Initiative]:
    bar = progress(len(specs), "initiatives")
    initiatives = bulk_insert(
        Initiative, (Initiative(**_initiative_fields(s, roadmaps, people)) for s in specs), bar=bar, keep=True
    )
    bar.close()
    links = (
        InitiativeDepartment(initiative=i, department=d, budget=Decimal(b))
        for i, s in zip(initiatives, specs, strict=True)
        for d, b in s.budgets.items()
    )
    bulk_insert(InitiativeDepartment, links, bar=progress(0, "initiative budgets"))
    through = Initiative.metrics.through
    moved = (
        through(initiative_id=i.pk, metric_id=metrics[c].pk)
        for i, s in zip(initiatives, specs, strict=True)
        for c in s.metric_codes
    )
    bulk_insert(through, moved, bar=progress(0, "initiative metrics"))
    return initiatives


def _write_tasks(task_specs: list[TaskSpec], initiatives: list[Initiative], progress: Progress) -> list[Task]:
    bar = progress(len(task_specs), "tasks")
    rows = (Task(status_changed_at=s.status_changed_at, **_task_fields(s, initiatives)) for s in task_specs)
    tasks = bulk_insert(Task, rows, bar=bar, keep=True)
    bar.close()
    # A task exists from before its first check-in and status change (check-ins are never dated
    # earlier than their task); the insert stamped them all now.
    for spec, task in zip(task_specs, tasks, strict=True):
        task.created_at = min([at(day, 8) for day, *_ in spec.check_ins] + [spec.status_changed_at or task.created_at])
    Task.objects.bulk_update(tasks, ["created_at"], batch_size=500)
    depends = Task.depends_on.through
    edges = (depends(from_task_id=tasks[s.index].pk, to_task_id=tasks[j].pk) for s in task_specs for j in s.depends_on)
    bulk_insert(depends, edges, bar=progress(0, "hand-offs"))
    return tasks


def _write_check_ins(task_specs: list[TaskSpec], tasks: list[Task], progress: Progress) -> None:
    bar = progress(sum(len(s.check_ins) for s in task_specs), "check-ins")
    check_ins = (
        CheckIn(
            task=tasks[s.index], author=s.owner or s.department.head, date=d, percent_complete=p, confidence=c, note=n
        )
        for s in task_specs
        for d, p, c, n in s.check_ins
    )
    bulk_insert(CheckIn, check_ins, bar=bar)
    bar.close()


def _recognitions(tasks: list[Task], people: People, metrics: dict[str, Metric]) -> None:
    done = [t for t in tasks if t.status == Task.Status.DONE and t.owner_id and t.owner_id != people.cco.pk]
    if len(done) < 2:
        return  # tiny demos (a handful of tasks) may have nothing done to thank anyone for
    mine = [t for t in done if t.owner_id == people.owner.pk] or done
    thanks = [
        (people.cco, mine[0].owner, {"task": mine[0]}, "Turned a complaint into a case study. Thank you!"),
        (people.head, done[1].owner, {"task": done[1]}, "Picked up the hand-off the same day."),
        (people.executive, people.head, {"initiative": tasks[0].initiative}, "The board noticed the difference."),
        (people.cco, people.head, {"metric": metrics["first_contact_resolution"]}, "Best resolution rate in years."),
        (people.cco, done[-1].owner, {"task": done[-1]}, "Went the extra mile for a strategic customer."),
    ]
    for giver, recipient, subject, note in thanks:
        if giver != recipient:
            recognition_create(giver=giver, recipient=recipient, note=note, **subject)


def plan_build(
    *,
    rng: random.Random,
    today: dt.date,
    people: People,
    metrics: dict[str, Metric],
    initiatives: int,
    tasks: int,
    bulk: bool,
    progress: Progress,
) -> dict[str, int]:
    specs = initiatives_generate(rng=rng, today=today, people=people, count=initiatives)
    task_specs = tasks_generate(rng=rng, today=today, people=people, initiatives=specs, count=tasks)
    roadmaps = _roadmaps(today)
    write = _initiatives_in_bulk if bulk else _initiatives_with_services
    initiatives = write(specs, roadmaps, people, metrics, progress)
    created = _write_tasks(task_specs, initiatives, progress)
    _write_check_ins(task_specs, created, progress)
    slips = promises_and_slips_write(tasks=created, people=people, progress=progress)
    _recognitions(created, people, metrics)
    story = duplicate_spending_build(today=today, people=people, metrics=metrics)
    pledged = task_force_build(today=today, people=people)
    pay_plans = pay_build(people=people, metrics=metrics)
    story += 1 if pledged else 0
    return {
        "roadmaps": len(roadmaps),
        "initiatives": len(specs) + story,
        "tasks": len(created),
        "hand-offs": sum(len(s.depends_on) for s in task_specs),
        "check-ins": sum(len(s.check_ins) for s in task_specs),
        "slips": slips,
        "pledges": pledged,
        "pay plans": pay_plans,
    }
