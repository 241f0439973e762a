"""The one door for every write to the roadmap. Each function validates fully before saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.versions import check_version
from org.selectors import UserLike
from org.stale import scorecard_request_recompute
from roadmap.models import CheckIn, Initiative, InitiativeDepartment, Task
from roadmap.slips import due_date_validate, slip_plan

DEPENDENCY_CYCLE = "These dependencies would make a cycle: {path}."
DEPENDENCY_SELF = "A task cannot depend on itself."


def _find_cycle(*, task: Task, depends_on: Iterable[Task]) -> list[int] | None:
    """A path from a new dependency back to `task`, if adding them would close a cycle."""
    parents = {d.pk: None for d in depends_on}
    frontier = set(parents)
    while frontier:
        if task.pk in frontier:
            path, node = [], task.pk
            while node is not None:
                path.append(node)
                node = parents[node]
            return [task.pk, *reversed(path)]
        edges = Task.depends_on.through.objects.filter(from_task_id__in=frontier).values_list(
            "from_task_id", "to_task_id"
        )
        frontier = set()
        for source, target in edges:
            if target not in parents:
                parents[target] = source
                frontier.add(target)
    return None


def task_dependencies_validate(*, task: Task, depends_on: Iterable[Task]) -> None:
    """Raise a ValidationError on `depends_on` if these dependencies would include the task or a cycle.

    Forms (the admin) call it in their `clean()` so a cycle is a form error, not a failed save.
    """
    depends_on = list(depends_on)
    if task.pk is None:
        return  # a new task has no dependents yet, so it cannot close a cycle
    if any(d.pk == task.pk for d in depends_on):
        raise ValidationError({"depends_on": DEPENDENCY_SELF})
    path = _find_cycle(task=task, depends_on=depends_on)
    if path:
        titles = dict(Task.objects.filter(pk__in=path).values_list("pk", "title"))
        raise ValidationError({"depends_on": DEPENDENCY_CYCLE.format(path=" → ".join(titles[p] for p in path))})


def _set_dependencies(task: Task, depends_on: Iterable[Task]) -> None:
    depends_on = list(depends_on)
    task_dependencies_validate(task=task, depends_on=depends_on)
    task.depends_on.set(depends_on)


def _apply_status(task: Task, status: str, now: dt.datetime) -> None:
    if status == task.status and task.status_changed_at:
        return
    task.status = status
    task.status_changed_at = now
    if status == Task.Status.DONE:
        task.completed_at = task.completed_at or now
        task.percent_complete = 100
    else:
        task.completed_at = None


@transaction.atomic
def task_create(*, depends_on: Iterable[Task] = (), **fields: Any) -> Task:
    now = timezone.now()
    task = Task(**fields)
    status = task.status
    task.status = Task.Status.NOT_STARTED
    _apply_status(task, status, now)
    if fields.get("completed_at"):
        task.completed_at = fields["completed_at"]
    _commit_promise(task)
    task.full_clean()
    task.save()
    _set_dependencies(task, depends_on)
    scorecard_request_recompute(department_ids=[task.department_id], dates=[task.due_date])
    return task


def _commit_promise(task: Task) -> None:
    """DOMAIN: the promise is fixed when the task leaves 'not started' (or is created already started)."""
    if task.promised_date is None and task.status != Task.Status.NOT_STARTED:
        task.promised_date = task.due_date


@transaction.atomic
def task_update(
    *,
    task: Task,
    expected_version: int | None = None,
    depends_on: Iterable[Task] | None = None,
    by: UserLike | None = None,
    slip_reason: str = "",
    **fields: Any,
) -> Task:
    """Change a task; `expected_version` guards against overwriting someone else's change.

    Moving the due date of a committed task is a slip (`roadmap/slips.py`): `slip_reason` is
    required, and `by` (who moves it) decides whether the move waits for the head. A waiting
    slip leaves the due date as it was; the other changes are saved. `task.pending_slip` is
    set to the slip recorded as waiting, if any.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    check_version(task, expected_version)
    old_department, old_due = task.department_id, task.due_date
    new_due = fields.pop("due_date", old_due)
    status = fields.pop("status", None)
    completed_at = fields.pop("completed_at", None)
    for name, value in fields.items():
        setattr(task, name, value)
    plan = None
    if new_due != old_due:
        due_date_validate(task=task, new_due=new_due)
        if task.promised_date is None:
            task.due_date = new_due  # not committed yet: the date is still being planned
        else:
            plan = slip_plan(task=task, new_due=new_due, by=by, reason=slip_reason)
            if plan.moves_now:
                task.due_date = new_due
                task.slip_count += 1
    if status is not None:
        _apply_status(task, status, timezone.now())
    if completed_at is not None and task.status == Task.Status.DONE:
        task.completed_at = completed_at
    _commit_promise(task)
    task.version += 1
    task.full_clean()
    task.save()
    if plan is not None:
        plan.slip.full_clean()
        plan.slip.save()
    task.pending_slip = plan.slip if plan is not None and not plan.moves_now else None
    if depends_on is not None:
        _set_dependencies(task, depends_on)
    scorecard_request_recompute(department_ids={old_department, task.department_id}, dates={old_due, task.due_date})
    return task


def task_complete(*, task: Task, completed_at: dt.datetime | None = None) -> Task:
    """Mark a task done; completing a done task changes nothing."""
    if task.status == Task.Status.DONE:
        return task
    return task_update(task=task, status=Task.Status.DONE, completed_at=completed_at)


@transaction.atomic
def task_delete(*, task: Task) -> None:
    """Delete a task (its check-ins go with it) and ask for its department's scorecard to be recomputed."""
    department_id, due = task.department_id, task.due_date
    task.delete()
    scorecard_request_recompute(department_ids=[department_id], dates=[due])


@transaction.atomic
def check_in_create(
    *,
    task: Task,
    author: AbstractBaseUser | None,
    percent_complete: int,
    confidence: str = "green",
    note: str = "",
    date: dt.date | None = None,
) -> CheckIn:
    """Record progress on a task; the task's percent follows the latest check-in."""
    check_in = CheckIn(
        task=task,
        author=author,
        percent_complete=percent_complete,
        confidence=confidence,
        note=note,
        date=date or timezone.localdate(),
    )
    check_in.full_clean()
    check_in.save()
    _task_follow_latest_check_in(task.pk)
    return check_in


def _task_follow_latest_check_in(task_id: int) -> None:
    """The task's percent follows its latest check-in (by date, then entry), unless the task is done."""
    task = Task.objects.get(pk=task_id)
    latest = CheckIn.objects.filter(task_id=task_id).order_by("-date", "-id").first()
    if latest is not None and task.status != Task.Status.DONE and task.percent_complete != latest.percent_complete:
        task_update(task=task, percent_complete=latest.percent_complete)


@transaction.atomic
def check_in_update(*, check_in: CheckIn, **fields: Any) -> CheckIn:
    """Correct a check-in (CCO staff or the head); the task's percent follows the latest check-in."""
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    for name, value in fields.items():
        setattr(check_in, name, value)
    check_in.full_clean()
    check_in.save()
    _task_follow_latest_check_in(check_in.task_id)
    return check_in


@transaction.atomic
def check_in_delete(*, check_in: CheckIn) -> None:
    """Delete a check-in; the task's percent follows the latest one left (or stays as it is)."""
    task_id = check_in.task_id
    check_in.delete()
    _task_follow_latest_check_in(task_id)


@transaction.atomic
def initiative_create(*, departments: dict | None = None, metrics: Iterable = (), **fields: Any) -> Initiative:
    """Create an initiative; `departments` maps a Department to the budget it puts in."""
    initiative = Initiative(**fields)
    initiative.full_clean()
    initiative.save()
    for department, budget in (departments or {}).items():
        initiative.department_links.create(department=department, budget=budget)
    initiative.metrics.set(metrics)
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, expected_version: int | None = None, **fields: Any) -> Initiative:
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    check_version(initiative, expected_version)
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.version += 1
    initiative.full_clean()
    initiative.save()
    return initiative


BUDGET_LINE_TWICE = "{department} already has a budget line on {initiative}: change that one."


def _budget_line_check_unique(line: InitiativeDepartment) -> None:
    """One line per department and initiative, said on the field at fault (the constraint would say it on none)."""
    others = InitiativeDepartment.objects.filter(initiative_id=line.initiative_id, department_id=line.department_id)
    if others.exclude(pk=line.pk).exists():
        message = BUDGET_LINE_TWICE.format(department=line.department, initiative=line.initiative)
        raise ValidationError({"department": message})


@transaction.atomic
def budget_line_create(
    *, metrics: Iterable = (), loss_reasons: Iterable = (), segments: Iterable = (), **fields: Any
) -> InitiativeDepartment:
    """A department's budget line on an initiative, with what it is for (metrics, loss reasons, segments)."""
    line = InitiativeDepartment(**fields)
    _budget_line_check_unique(line)
    line.full_clean()
    line.save()
    line.metrics.set(metrics)
    line.loss_reasons.set(loss_reasons)
    line.segments.set(segments)
    return line


@transaction.atomic
def budget_line_update(*, line: InitiativeDepartment, **fields: Any) -> InitiativeDepartment:
    """Change a budget line; `metrics`, `loss_reasons` and `segments`, when given, replace the line's."""
    line = InitiativeDepartment.objects.select_for_update().get(pk=line.pk)
    purposes = {name: fields.pop(name) for name in ("metrics", "loss_reasons", "segments") if name in fields}
    for name, value in fields.items():
        setattr(line, name, value)
    _budget_line_check_unique(line)
    line.full_clean()
    line.save()
    for name, values in purposes.items():
        getattr(line, name).set(values)
    return line


POOL_SAME = "Choose two different initiatives to pool."
POOL_OTHER_ROADMAP = "Only initiatives of the same roadmap can be pooled; {source} is on {roadmap}."
POOL_ALREADY = "{source} was already pooled into {target}."


def initiatives_pool_validate(*, target: Initiative, source: Initiative) -> None:
    """Raise a ValidationError naming the field at fault if `source` cannot be pooled into `target`."""
    if source.pk == target.pk:
        raise ValidationError({"source": POOL_SAME})
    if source.roadmap_id != target.roadmap_id:
        raise ValidationError({"source": POOL_OTHER_ROADMAP.format(source=source, roadmap=source.roadmap)})
    for initiative in (source, target):
        if initiative.pooled_into_id is not None:
            field = "source" if initiative is source else "target"
            raise ValidationError({field: POOL_ALREADY.format(source=initiative, target=initiative.pooled_into)})


def _pool_line(*, line: InitiativeDepartment, target: Initiative) -> None:
    """Move a budget line to `target`, or add it to the target's line of the same department."""
    kept = target.department_links.filter(department_id=line.department_id).first()
    if kept is None:
        line._change_reason = f"Pooled from {line.initiative}"
        line.initiative = target
        line.save()
        return
    kept.budget += line.budget
    kept._change_reason = f"Pooled {line.budget} from {line.initiative}"
    kept.full_clean()
    kept.save()
    kept.metrics.add(*line.metrics.all())
    kept.loss_reasons.add(*line.loss_reasons.all())
    kept.segments.add(*line.segments.all())
    line.delete()


@transaction.atomic
def initiatives_pool(*, target: Initiative, source: Initiative) -> Initiative:
    """Pool `source`'s spending into `target`: one initiative, one budget per department, history kept.

    The target's dates stretch to cover both; the source's budget lines, tasks and metrics move
    to the target; the source stays, cancelled, with `pooled_into` set and a history entry that
    says so, so the decision and what each department had put in can be read later.
    """
    # Lock both rows in one order (no deadlock between two poolings), without joins: PostgreSQL cannot
    # lock the nullable side of an outer join (`pooled_into`).
    list(Initiative.objects.select_for_update().filter(pk__in=[target.pk, source.pk]).order_by("pk"))
    target = Initiative.objects.select_related("roadmap", "pooled_into").get(pk=target.pk)
    source = Initiative.objects.select_related("roadmap", "pooled_into").get(pk=source.pk)
    initiatives_pool_validate(target=target, source=source)
    target.start_date = min(target.start_date, source.start_date)
    target.end_date = max(target.end_date, source.end_date)
    target.version += 1
    target._change_reason = f"Pooled with {source}"
    target.full_clean()
    target.save()
    target.metrics.add(*source.metrics.all())
    for line in source.department_links.prefetch_related("metrics", "loss_reasons", "segments"):
        _pool_line(line=line, target=target)
    for task in Task.objects.filter(initiative=source):
        task_update(task=task, initiative=target)
    source.status = Initiative.Status.CANCELLED
    source.pooled_into = target
    source.version += 1
    source._change_reason = f"Pooled into {target}"
    source.full_clean()
    source.save()
    return target
