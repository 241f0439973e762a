"""The real-worker harness itself: a worker started by a test consumes from a private Redis."""

import re

import pytest

from cco.celery import app
from tests.worker import wait_until

pytestmark = pytest.mark.worker


def test_a_real_worker_runs_a_task_sent_through_the_private_redis(celery_processes):
    worker = celery_processes.worker()
    # celery.accumulate is a built-in task; the worker logs its id when it succeeds.
    sent = app.send_task("celery.accumulate", args=[1])
    wait_until(
        lambda: f"celery.accumulate[{sent.id}] succeeded" in celery_processes.logs(),
        timeout=60,
        message="the worker ran the task",
    )
    assert worker.poll() is None
    # Each line the worker logs says when (UTC), how grave and which process, for incidents.
    line = next(
        line for line in celery_processes.logs().splitlines() if f"celery.accumulate[{sent.id}] succeeded" in line
    )
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO \[\S+\] celery\.", line), line
