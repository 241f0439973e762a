"""The object-level check the schema fuzzer runs on every answer: nothing outside the role's scope.

A 2xx answer may only show objects the user may see (by the selectors, not by the API's own
querysets), and a 2xx write may only have made or changed an object the user may change.
An account with no role gets no 2xx at all; an executive writes nothing (beyond their own keys).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.auth import get_user_model

from accountability.owner_report import owner_report_visible
from accountability.reminders.selectors import message_list
from customers.models import CustomerMovement, Reading
from customers.selectors import department_changeable_for_data, movement_list, reading_list
from org.api_keys import api_key_list_own
from org.selectors import user_has_role, user_is_cco_staff, user_is_executive
from roadmap.selectors import check_in_list, task_list, task_list_changeable

WRITES = {"POST", "PATCH", "PUT", "DELETE"}
OWN = {"auth/keys", "auth/token"}  # every role's own: keys
VISIBLE = {
    "tasks": lambda user: task_list(user=user),
    "check-ins": lambda user: check_in_list(user=user),
    "readings": lambda user: reading_list(user=user),
    "movements": lambda user: movement_list(user=user),
    "reminders": lambda user: message_list(user=user),
    "auth/keys": lambda user: api_key_list_own(user=user),
}
CCO_STAFF_WRITES = {"initiatives", "targets", "scorecards/recompute", "loss-reasons"}


def resource(path: str) -> str:
    """`/api/v1/tasks/{id}/` → `tasks`; `/api/v1/readings/bulk/` → `readings/bulk`."""
    return re.sub(r"/?\{[^}]+\}.*$", "", path.removeprefix("/api/v1/")).strip("/")


def _rows(content: bytes) -> list[dict]:
    try:
        body = json.loads(content)
    except ValueError:
        return []
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return [row for row in body["results"] if isinstance(row, dict)]
    return [body] if isinstance(body, dict) and "id" in body else []


def _changed_within_scope(user: Any, name: str, rows: list[dict], content: bytes) -> list[str]:
    problems = []
    if name == "tasks":
        allowed = set(task_list_changeable(user=user).values_list("pk", flat=True))
        problems += [f"task {row['id']} not changeable" for row in rows if row["id"] not in allowed]
    elif name == "check-ins":
        allowed = set(task_list_changeable(user=user).values_list("pk", flat=True))
        problems += [f"check-in on task {row.get('task')}" for row in rows if row.get("task") not in allowed]
    elif name in ("readings", "movements"):
        problems += [
            f"{name[:-1]} in department {row.get('department')}"
            for row in rows
            if not department_changeable_for_data(department_id=row.get("department"), user=user)
        ]
    elif name in ("readings/bulk", "movements/bulk"):
        model = Reading if name.startswith("readings") else CustomerMovement
        ids = json.loads(content).get("ids", [])
        for department_id in model.objects.filter(pk__in=ids).values_list("department_id", flat=True):
            if not department_changeable_for_data(department_id=department_id, user=user):
                problems.append(f"bulk row in department {department_id}")
    elif name == "recognitions":
        visible = set(task_list(user=user).values_list("pk", flat=True))
        problems += [f"recognition of task {row['task']}" for row in rows if row.get("task") not in (None, *visible)]
    elif name in CCO_STAFF_WRITES and not user_is_cco_staff(user=user):
        problems.append(f"{name} changed by someone not CCO staff")
    if user_is_executive(user=user) and not user_is_cco_staff(user=user) and name not in OWN:
        problems.append("an executive changed something")
    return problems


def within_scope(user_pk: int):
    """A schemathesis check bound to one user, read once from the database with their roles.

    No endpoint changes a user's roles, departments or active flag, so what the first answer
    loads about them (org/selectors.py keeps it on the object) holds for every later answer.
    """
    user = get_user_model().objects.get(pk=user_pk)

    def check_within_scope(ctx: Any, response: Any, case: Any) -> None:
        if not 200 <= response.status_code < 300:
            return
        name, method = resource(case.operation.path), case.method.upper()
        label = f"{case.operation.label} as {user.username}"
        if not user_has_role(user=user):
            assert name == "auth/token", f"{label}: {response.status_code} for an account with no role"
            return
        rows = _rows(response.content)
        if name == "owners":  # owners/{user_id}/report/: one person's report, shown by id
            owner = get_user_model().objects.get(pk=json.loads(response.content)["owner"])
            assert owner_report_visible(user=user, owner=owner), f"{label}: shows {owner.username}'s report"
        if name in VISIBLE:
            allowed = set(VISIBLE[name](user).values_list("pk", flat=True))
            if method == "DELETE":
                rows = []  # gone: nothing to show
            outside = [row["id"] for row in rows if row.get("id") not in allowed]
            assert not outside, f"{label}: shows {name} {outside}, outside the user's scope"
        if method in WRITES:
            problems = _changed_within_scope(user, name, rows, response.content)
            assert not problems, f"{label}: {problems}"

    return check_within_scope
