"""A beat process that has just started counts as alive: readiness does not wait for its first send."""

from __future__ import annotations

import pytest

from core.job_runs import HEARTBEAT_TASK
from core.models import JobRun
from tests.worker import wait_until

pytestmark = pytest.mark.worker


def test_a_starting_beat_is_noted_before_it_sends_anything(celery_processes, client):
    # No scheduled send within the test: the heartbeat is hourly here, and so is every sweep.
    hourly = {"HEALTH_HEARTBEAT_SECONDS": "3600", "REMINDERS_SWEEP_SECONDS": "3600", "CHAT_SWEEP_SECONDS": "3600"}
    celery_processes.beat(**hourly, WEBHOOKS_SWEEP_SECONDS="3600")

    def noted() -> bool:
        return JobRun.objects.filter(name=HEARTBEAT_TASK, last_sent_at__isnull=False).exists()

    wait_until(noted, timeout=30, message="beat's start noted")
    assert not JobRun.objects.filter(succeeded__gt=0).exists()  # noted at its start, not by a run
    beat = client.get("/health/ready", {"check": "beat"}).json()["checks"]["beat"]
    assert beat["ok"] and beat["age_seconds"] < 30
