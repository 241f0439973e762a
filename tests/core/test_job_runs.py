"""What Celery's signals write: beat's sends (only beat's), each outcome of a task, a worker's start."""

from __future__ import annotations

import pytest

from cco.celery import app
from core import job_runs
from core.models import JobRun

pytestmark = pytest.mark.django_db


def test_only_tasks_sent_by_beat_are_noted_as_sent():
    job_runs.on_task_published(sender="accountability.reminders_fanout", headers={"celery_beat_task": True})
    job_runs.on_task_published(sender="accountability.reminders_deliver_batch", headers={"id": "x"})
    assert list(JobRun.objects.values_list("name", flat=True)) == ["accountability.reminders_fanout"]
    assert JobRun.objects.get().last_sent_at is not None


def test_each_outcome_is_counted_and_the_failure_named_by_its_class():
    task = app.tasks["accountability.proposal_decision_tell"]
    task.apply(kwargs={"decision_id": "not a number"})
    app.tasks["core.heartbeat"].apply(throw=True)
    failed = JobRun.objects.get(name=task.name)
    assert (failed.succeeded, failed.failed, failed.retried) == (0, 1, 0)
    assert failed.last_error == "ValueError" and failed.last_failed_at and failed.last_succeeded_at is None
    heartbeat = JobRun.objects.get(name="core.heartbeat")
    assert heartbeat.succeeded == 1 and heartbeat.last_worker


def test_a_worker_starting_stamps_the_heartbeat_without_counting_a_run():
    worker = type("Consumer", (), {"hostname": "worker1@cco-1"})()
    job_runs.on_worker_ready(sender=worker)
    heartbeat = JobRun.objects.get(name="core.heartbeat")
    assert heartbeat.last_worker == "worker1@cco-1" and heartbeat.last_succeeded_at and heartbeat.succeeded == 0


def test_a_database_error_while_recording_is_logged_and_never_raised(monkeypatch, caplog):
    from django.db import OperationalError

    def broken(**kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(job_runs, "job_sent_record", broken)
    job_runs.on_task_published(sender="accountability.reminders_fanout", headers={"celery_beat_task": True})
    assert "Could not record the sending of task accountability.reminders_fanout (OperationalError)" in caplog.text
