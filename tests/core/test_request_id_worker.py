"""A real worker prints the request id of the request that caused its task, on JSON log lines."""

from __future__ import annotations

import json

import pytest

from tests import factories
from tests.api.conftest import token_client
from tests.worker import wait_until

pytestmark = pytest.mark.worker
SWEEP = "accountability.scorecards_sweep_recompute_requests"


def _json_lines(text: str) -> list[dict]:
    """The worker's log lines that are JSON (its start-up banner is not a log line)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_a_check_in_posted_with_a_request_id_has_it_on_the_log_lines_of_the_recompute_it_causes(
    celery_processes, department, owner
):
    task = factories.TaskFactory(department=department, owner=owner)
    celery_processes.worker(LOG_FORMAT="json")
    response = token_client(owner).post(
        "/api/v1/check-ins/",
        {"task": task.pk, "percent_complete": 30, "confidence": "green", "note": "On track"},
        format="json",
        HTTP_X_REQUEST_ID="req-check-in-42",
    )
    assert response.status_code == 201 and response["X-Request-ID"] == "req-check-in-42"

    def sweep_lines() -> list[dict]:
        return [line for line in _json_lines(celery_processes.logs()) if line.get("task_name") == SWEEP]

    wait_until(
        lambda: any("succeeded" in line["message"] for line in sweep_lines()), timeout=90, message="the sweep ran"
    )
    lines = sweep_lines()
    assert lines and all(line["request_id"] == "req-check-in-42" for line in lines)
    assert all(line["task_id"] for line in lines)
    assert {"time", "level", "logger", "process", "message"} <= set(lines[0])
