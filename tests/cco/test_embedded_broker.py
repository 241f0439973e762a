"""The embedded filesystem broker of `bin/run` carries messages between processes: a task sent
by this process, even before the worker is up, is consumed by a real worker process."""

import os

import pytest

from cco.broker import filesystem_transport_options
from cco.celery import app
from tests.worker import CeleryProcesses, point_app_at_broker, wait_until

pytestmark = pytest.mark.worker


@pytest.fixture
def filesystem_broker(tmp_path):
    """This process's Celery app publishes to a private filesystem broker for the test."""
    folder = tmp_path / "broker"
    previous_url, previous_options = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_transport_options = filesystem_transport_options(folder)
    point_app_at_broker(app, "filesystem://")
    yield folder
    app.conf.broker_transport_options = previous_options
    point_app_at_broker(app, previous_url)


def test_a_real_worker_consumes_tasks_sent_through_the_filesystem_broker(transactional_db, filesystem_broker, tmp_path):
    processes = CeleryProcesses("filesystem://", tmp_path)
    # celery.accumulate is a built-in task that returns its argument.
    waiting = app.send_task("celery.accumulate", args=[1])  # queued while no worker runs: kept in the folder
    assert len(os.listdir(filesystem_broker / "out")) == 1
    try:
        worker = processes.worker(CELERY_FILESYSTEM_DIR=str(filesystem_broker))
        wait_until(
            lambda: f"celery.accumulate[{waiting.id}] succeeded" in processes.logs(),
            timeout=120,
            message="the worker consumed the task queued before it started",
        )
        live = app.send_task("celery.accumulate", args=[2])
        wait_until(
            lambda: f"celery.accumulate[{live.id}] succeeded" in processes.logs(),
            timeout=60,
            message="the worker consumed a task sent while it runs",
        )
        assert worker.poll() is None
        assert os.listdir(filesystem_broker / "out") == []  # consumed, not left behind
    finally:
        processes.stop_all()
