"""The `data` of each event, as documented in docs/webhooks.md: plain fields, foreign keys as ids.

Built from the instance the lower floor emitted, with no further queries (ids, not objects),
so recording an event costs the same whatever it is about.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

TASK = [
    "id",
    "title",
    "initiative_id",
    "department_id",
    "owner_id",
    "status",
    "due_date",
    "promised_date",
    "slip_count",
    "percent_complete",
    "completed_at",
    "version",
]
CHECK_IN = ["id", "task_id", "author_id", "date", "percent_complete", "confidence", "note"]
SLIP = ["id", "task_id", "moved_by_id", "moved_at", "from_date", "to_date", "days", "reason", "status", "decided_at"]
DECISION = ["id", "initiative_id", "action", "by_id", "proposer_id", "reason", "at"]
MOVEMENT = ["id", "date", "kind", "segment_id", "department_id", "count", "revenue", "profit", "loss_reason_id"]
SCORECARD = [
    "id",
    "period_kind",
    "period_start",
    "scope",
    "department_id",
    "owner_id",
    "computed_at",
    "overall_score",
    "overall_colour",
    "delivery_score",
    "metrics_score",
    "growth_score",
]
# event prefix → (the key of the object in `data`, its fields)
SHAPES = {
    "task": ("task", TASK),
    "checkin": ("check_in", CHECK_IN),
    "slip": ("slip", SLIP),
    "initiative": ("decision", DECISION),
    "movement": ("movement", MOVEMENT),
    "scorecard": ("scorecard", SCORECARD),
}


def event_data(event: str, instance: Any) -> dict:
    """`{"<object>": {field: value}}`, JSON-safe (dates as ISO strings, decimals as strings)."""
    key, fields = SHAPES[event.split(".")[0]]
    values = {name: getattr(instance, name) for name in fields}
    return json.loads(json.dumps({key: values}, cls=DjangoJSONEncoder))
