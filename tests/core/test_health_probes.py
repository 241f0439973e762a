"""Liveness and readiness: what each check reads, when it fails, and that probes pass the host check and HTTPS."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client

from core import health
from core.job_runs import HEARTBEAT_TASK, job_run_record, job_sent_record
from core.models import JobRun

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 7, 6, 12, 0, tzinfo=dt.UTC)
SCHEDULED = [
    "accountability.scorecards_sweep_recompute_requests",
    "accountability.scorecards_nightly_recompute",
    "accountability.scorecards_close_periods",
    "accountability.reminders_fanout",
    "accountability.digests_fanout",
    "accountability.fade_alerts_fanout",
    HEARTBEAT_TASK,
]


def _all_jobs_ran(at: dt.datetime) -> None:
    for name in SCHEDULED:
        job_sent_record(name=name, now=at)
        job_run_record(name=name, outcome="succeeded", worker="w1@host", now=at)


def _ready(client=None, query: str = "") -> tuple[int, dict]:
    response = (client or Client()).get(f"/health/ready{query}", HTTP_HOST="10.0.0.7")
    return response.status_code, response.json()


def test_liveness_answers_any_host_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/health/live", HTTP_HOST="10.0.0.7")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert response["Cache-Control"] == "no-store"


def test_readiness_is_ok_when_every_job_ran_recently():
    with time_machine.travel(NOW - dt.timedelta(minutes=1), tick=False):
        _all_jobs_ran(NOW - dt.timedelta(minutes=1))
    with time_machine.travel(NOW, tick=False):
        status, body = _ready()
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache", "worker", "beat", "jobs"}
    assert body["checks"]["worker"]["age_seconds"] == 60.0
    assert body["checks"]["worker"]["worker"] == "w1@host"
    assert body["checks"]["beat"]["last_sent"] == "2026-07-06T11:59:00Z"
    assert body["checks"]["jobs"]["jobs"]["reminders-fanout"]["late"] is False


def test_a_worker_silent_past_the_stale_minutes_fails_readiness(settings):
    settings.HEALTH_WORKER_STALE_MINUTES = 5
    with time_machine.travel(NOW, tick=False):
        _all_jobs_ran(NOW - dt.timedelta(minutes=4))
        assert _ready()[0] == 200
    JobRun.objects.filter(name=HEARTBEAT_TASK).update(last_succeeded_at=NOW - dt.timedelta(minutes=6))
    with time_machine.travel(NOW, tick=False):
        status, body = _ready()
    assert status == 503
    assert body["status"] == "failing"
    failing = [name for name, check in body["checks"].items() if not check["ok"]]
    assert failing == ["worker"]
    assert body["checks"]["worker"]["stale_after_seconds"] == 300


def test_beat_that_sent_nothing_for_the_stale_minutes_fails_readiness(settings):
    settings.HEALTH_BEAT_STALE_MINUTES = 5
    with time_machine.travel(NOW, tick=False):
        _all_jobs_ran(NOW - dt.timedelta(minutes=1))
        JobRun.objects.update(last_sent_at=NOW - dt.timedelta(minutes=7))
        status, body = _ready()
    assert status == 503
    assert not body["checks"]["beat"]["ok"] and body["checks"]["beat"]["age_seconds"] == 420.0


def test_a_scheduled_job_that_has_not_succeeded_since_its_schedule_plus_grace_is_late(settings):
    """The reminder sweep runs every 900 s: 900 s + 15 min grace after its last success, it is late."""
    settings.HEALTH_JOB_GRACE_MINUTES = 15
    with time_machine.travel(NOW, tick=False):
        _all_jobs_ran(NOW - dt.timedelta(seconds=30))
        JobRun.objects.filter(name="accountability.reminders_fanout").update(
            last_succeeded_at=NOW - dt.timedelta(seconds=900 + 15 * 60 - 10),
            last_failed_at=NOW - dt.timedelta(minutes=2),
        )
        assert _ready()[0] == 200  # overdue by 890 s: within the grace
        JobRun.objects.filter(name="accountability.reminders_fanout").update(
            last_succeeded_at=NOW - dt.timedelta(seconds=900 + 15 * 60 + 10)
        )
        status, body = _ready()
    assert status == 503
    job = body["checks"]["jobs"]["jobs"]["reminders-fanout"]
    assert job["late"] is True and job["overdue_seconds"] == 910.0
    assert job["last_failed"] == "2026-07-06T11:58:00Z"
    assert [name for name, j in body["checks"]["jobs"]["jobs"].items() if j["late"]] == ["reminders-fanout"]


def test_an_hourly_job_that_never_ran_is_judged_from_when_beat_first_showed_life(settings):
    settings.HEALTH_JOB_GRACE_MINUTES = 15
    start = dt.datetime(2026, 7, 6, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        job_sent_record(name=HEARTBEAT_TASK)  # beat starts
    with time_machine.travel(NOW, tick=False):
        job_run_record(name=HEARTBEAT_TASK, outcome="succeeded")
        job_sent_record(name=HEARTBEAT_TASK)
        status, body = _ready()
    jobs = body["checks"]["jobs"]["jobs"]
    # Due at 10:05 (after 09:30), not run by 12:00: 115 min overdue. The nightly recompute likewise.
    assert jobs["scorecards-nightly-recompute"]["overdue_seconds"] == 115 * 60
    assert jobs["scorecards-nightly-recompute"]["late"] is True
    assert status == 503


def test_a_fresh_install_is_not_late_before_beat_ever_ran():
    """Nothing to judge yet: the worker and beat checks fail, the jobs check does not pile on."""
    status, body = _ready()
    assert status == 503
    assert body["checks"]["jobs"]["ok"] is True
    assert {name for name, c in body["checks"].items() if not c["ok"]} == {"worker", "beat"}


def test_readiness_can_be_limited_to_named_checks_and_refuses_unknown_ones():
    status, body = _ready(query="?check=database&check=cache")
    assert status == 200 and set(body["checks"]) == {"database", "cache"}
    status, body = _ready(query="?check=database&check=disk")
    assert status == 400
    assert body == {"check": ["Unknown check disk: choose among database, broker, cache, worker, beat, jobs."]}


def test_a_failing_dependency_is_named_by_its_exception_class_only(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    status, body = _ready(query="?check=cache")
    assert status == 503
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"]}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_probes_answer_only_get_and_head(method):
    response = getattr(Client(), method)("/health/ready")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert Client().head("/health/live").status_code == 200


def test_probes_pass_the_https_redirect_and_the_host_check_of_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["cco.example.com"]
    client = Client()
    assert client.get("/health/live", HTTP_HOST="10.0.0.7").status_code == 200
    assert client.get("/health/ready?check=database", HTTP_HOST="10.0.0.7").status_code == 200
    # Everything else still goes to HTTPS, and refuses an unknown host.
    assert client.get("/admin/login/", HTTP_HOST="cco.example.com").status_code == 301
    assert client.get("/admin/login/", HTTP_HOST="10.0.0.7").status_code == 400


def test_readiness_reads_the_same_number_of_queries_with_more_jobs(django_assert_num_queries):
    _all_jobs_ran(NOW)
    with django_assert_num_queries(2):  # the database ping, the job rows
        _ready()
    for n in range(20):
        job_run_record(name=f"other.task{n}", outcome="failed", error="ValueError")
    with django_assert_num_queries(2):
        _ready()


def test_with_the_database_down_the_checks_that_read_it_fail_without_asking_it_again(
    monkeypatch, django_assert_num_queries
):
    def database_down(now, runs):
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    with django_assert_num_queries(0):
        status, body = _ready()
    assert status == 503
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert all(body["checks"][name]["error"] == "DatabaseUnavailable" for name in ("worker", "beat", "jobs"))
    assert body["checks"]["broker"]["ok"] and body["checks"]["cache"]["ok"]
