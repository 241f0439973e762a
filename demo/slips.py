"""Promises and slips in the demo: started tasks promised their due date, some slipped once, and one
slip of the demo owner waits for the demo head, so every role sees the loop on the first login.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from demo.people import People
from demo.plan import at
from demo.writing import Progress, bulk_insert
from roadmap.models import Slip, Task

SLIPPED_EVERY = 7  # one started task in seven slipped once
REASONS = [
    "Waiting on the vendor's fix.",
    "The customer asked to move the workshop.",
    "Two of the team were pulled into the outage.",
    "Billing's data came in late.",
]


def promises_and_slips_write(*, tasks: list[Task], people: People, progress: Progress) -> int:
    """Set every started task's promise (and slip count) and write its slips; returns how many slips."""
    slips, changed = [], []
    for n, task in enumerate(tasks):
        if task.status == Task.Status.NOT_STARTED:
            continue
        task.promised_date = task.due_date
        if n % SLIPPED_EVERY == 0:
            days = 3 + n % 18
            task.promised_date = task.due_date - dt.timedelta(days=days)
            task.slip_count = 1
            slips.append(_slip(task, days=days, reason=REASONS[n % len(REASONS)], by=task.owner or people.head))
        changed.append(task)
    Task.objects.bulk_update(changed, ["promised_date", "slip_count"], batch_size=500)
    waiting = next((t for t in changed if t.owner_id == people.owner.pk and t.status == Task.Status.IN_PROGRESS), None)
    if waiting is not None:
        pending = _slip(waiting, days=21, reason="The payment provider's export is late.", by=people.owner)
        pending.from_date, pending.to_date = waiting.due_date, waiting.due_date + dt.timedelta(days=21)
        pending.moved_at, pending.status = timezone.now() - dt.timedelta(hours=2), Slip.Status.PENDING
        slips.append(pending)
    bulk_insert(Slip, slips, bar=progress(0, "slips"))
    return len(slips)


def _slip(task: Task, *, days: int, reason: str, by) -> Slip:
    return Slip(
        task=task,
        moved_by=by,
        moved_at=at(task.promised_date - dt.timedelta(days=2), 10),
        from_date=task.promised_date,
        to_date=task.promised_date + dt.timedelta(days=days),
        days=days,
        reason=reason,
        status=Slip.Status.APPROVED,
    )
