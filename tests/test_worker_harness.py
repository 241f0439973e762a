"""The real-worker harness itself: a worker started by a test consumes from a private Redis."""

import pytest

from cco.celery import app
from tests.worker import wait_until

pytestmark = pytest.mark.worker


def test_a_real_worker_consumes_a_message_from_the_private_redis(celery_processes):
    worker = celery_processes.worker()
    app.send_task("celery.ping")  # built-in task; the worker logs that it received it
    wait_until(lambda: "celery.ping" in celery_processes.logs(), timeout=60, message="worker received ping")
    assert worker.poll() is None
