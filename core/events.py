"""Domain events: how a lower floor tells the floors above that something happened, without importing them.

A service calls `event_emit("task.created", instance=task)` inside its transaction. Receivers
(the `integrations` app records outgoing webhooks) connect to `domain_event` and run in the
same transaction, so an event is recorded exactly when the change commits. The names are the
ones documented in docs/webhooks.md; `EVENTS` lists them.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

EVENTS = (
    "task.created",
    "task.changed",
    "task.overdue",
    "checkin.added",
    "slip.requested",
    "slip.approved",
    "initiative.proposed",
    "initiative.approved",
    "initiative.sent_back",
    "movement.recorded",
    "scorecard.computed",
)

# Arguments: event (one of EVENTS), instances (the model instances it happened to, one event
# each) and keys (None, or one per instance: what makes that event unique, e.g.
# "task.overdue:12:2026-03-01", so that recording it twice records it once).
domain_event = Signal()


def event_emit(event: str, *, instance: Any, key: str | None = None) -> None:
    """Tell whoever listens that `event` happened to `instance` (inside the caller's transaction)."""
    events_emit(event, instances=[instance], keys=None if key is None else [key])


def events_emit(event: str, *, instances: list[Any], keys: list[str] | None = None) -> None:
    """The same event for many instances at once (a scorecard sweep): listeners record them in one go."""
    if event not in EVENTS:
        raise ValueError(f"Unknown domain event {event!r}: add it to core.events.EVENTS and docs/webhooks.md.")
    if instances:
        domain_event.send(sender=type(instances[0]), event=event, instances=instances, keys=keys)
