"""/metrics: who may scrape it, and what it says after requests, task runs, reminders and stale marks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from accountability.models import Message
from cco.celery import app
from org.stale import scorecard_request_recompute
from tests import factories
from tests.api.conftest import token_client
from tests.worker import ROOT, database_url

pytestmark = pytest.mark.django_db
TOKEN = "a-metrics-token-for-the-tests"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []


def _scrape(**headers) -> dict[tuple, float]:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer wrong-token", f"Token {TOKEN}", f"Bearer {TOKEN}x", "Bearer"],
)
def test_metrics_refuse_a_scraper_without_the_token(authorization):
    response = Client().get("/metrics", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 403
    assert "METRICS_TOKEN" in response.json()["detail"]


def test_a_signed_in_superuser_without_the_token_is_refused_too():
    client = Client()
    client.force_login(factories.UserFactory(is_superuser=True))
    assert client.get("/metrics").status_code == 403


def test_an_allowed_network_may_scrape_without_the_token(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16", "192.168.5.5"]
    assert Client(REMOTE_ADDR="10.1.44.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.168.5.5").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 403
    # Behind no trusted proxy, a forged X-Forwarded-For changes nothing.
    assert Client(REMOTE_ADDR="8.8.8.8", HTTP_X_FORWARDED_FOR="10.1.0.1").get("/metrics").status_code == 403


def test_with_neither_token_nor_addresses_nobody_may_scrape(settings):
    settings.METRICS_TOKEN = ""
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_requests_are_counted_by_view_method_and_status(world):
    before = _scrape()
    client = token_client(world.users["owner"])
    for _ in range(3):
        assert client.get("/api/v1/tasks/").status_code == 200
    assert token_client().get("/api/v1/tasks/").status_code == 401
    assert Client().get("/no/such/page/").status_code == 404
    after = _scrape()

    def grew(**labels) -> float:
        name = "cco_http_requests_total"
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew(view="task-list", method="GET", status="200") == 3
    assert grew(view="task-list", method="GET", status="401") == 1
    assert grew(view="unmatched", method="GET", status="404") == 1
    timed = "cco_http_request_duration_seconds_count"
    assert (
        _value(after, timed, view="task-list", method="GET") - _value(before, timed, view="task-list", method="GET")
        == 4
    )


def test_task_runs_and_failures_are_counted_from_the_database():
    app.tasks["core.heartbeat"].apply(throw=True)
    app.tasks["core.heartbeat"].apply(throw=True)
    app.tasks["accountability.proposal_decision_tell"].apply(kwargs={"decision_id": "not a number"})
    samples = _scrape()
    runs = "cco_celery_task_runs_total"
    assert _value(samples, runs, task="core.heartbeat", outcome="succeeded") == 2
    assert _value(samples, runs, task="accountability.proposal_decision_tell", outcome="failed") == 1
    assert _value(samples, runs, task="accountability.proposal_decision_tell", outcome="succeeded") == 0
    assert _value(samples, "cco_worker_heartbeat_timestamp_seconds") > 0
    assert (
        _value(samples, "cco_celery_task_last_failure_timestamp_seconds", task="accountability.proposal_decision_tell")
        > 0
    )


def test_reminders_by_status_and_the_oldest_pending():
    created = dt.datetime(2026, 7, 6, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(created, tick=False):
        factories.MessageFactory.create_batch(2, status=Message.Status.PENDING)
        factories.MessageFactory(status=Message.Status.SENT)
        factories.MessageFactory(status=Message.Status.FAILED)
    with time_machine.travel(created + dt.timedelta(minutes=30), tick=False):
        samples = _scrape()
    messages = "cco_reminder_messages"
    assert [_value(samples, messages, status=s) for s in ("pending", "sending", "sent", "failed", "skipped")] == [
        2,
        0,
        1,
        1,
        0,
    ]
    assert _value(samples, "cco_reminder_oldest_pending_age_seconds") == 1800


def test_recompute_lag_is_the_age_of_the_oldest_stale_mark(department):
    marked = dt.datetime(2026, 7, 6, 9, 0, tzinfo=dt.UTC)
    assert _value(_scrape(), "cco_recompute_lag_seconds") == 0
    with time_machine.travel(marked, tick=False):
        scorecard_request_recompute(department_ids=[department.pk])
    with time_machine.travel(marked + dt.timedelta(seconds=95), tick=False):
        samples = _scrape()
    assert _value(samples, "cco_recompute_lag_seconds") == 95
    assert _value(samples, "cco_recompute_requests_pending") == 2  # the department and the company
    assert _value(samples, "cco_health_check_ok", check="database") == 1


def test_a_scrape_reads_the_same_number_of_queries_at_two_data_sizes(django_assert_num_queries, department):
    def scrape_queries() -> int:
        # The job rows; readiness (a ping, the job rows); the stale marks; the messages (by status, oldest).
        with django_assert_num_queries(6) as captured:
            _scrape()
        return len(captured)

    factories.MessageFactory(status=Message.Status.PENDING)
    app.tasks["core.heartbeat"].apply(throw=True)
    small = scrape_queries()
    factories.MessageFactory.create_batch(10, status=Message.Status.SENT)
    scorecard_request_recompute(department_ids=[department.pk, factories.DepartmentFactory().pk])
    for name in ("accountability.reminders_fanout", "accountability.digests_fanout"):
        app.tasks[name].apply(throw=True)
    assert scrape_queries() == small


@pytest.mark.anydb  # about the multiprocess folder, not the database
def test_request_counts_of_several_processes_add_up_through_the_multiprocess_folder(tmp_path):
    """Gunicorn's workers: each process writes its counts to PROMETHEUS_MULTIPROC_DIR, any scrape sums them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cco.settings",
        "DEBUG": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),  # the scrape also reads the database's figures
    }
    count = (
        "import django; django.setup()\n"
        "from core.metrics import REQUESTS\n"
        "REQUESTS.labels(view='task-list', method='GET', status='200').inc({n})\n"
    )
    scrape = (
        "import django; django.setup()\n"
        "from core.metrics import metrics_response\n"
        "print(metrics_response().content.decode())\n"
    )
    for n in (2, 3):  # two web processes, one after the other, each with its own counts
        subprocess.run([sys.executable, "-c", count.format(n=n)], cwd=ROOT, env=env, check=True)
    done = subprocess.run([sys.executable, "-c", scrape], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    assert 'cco_http_requests_total{method="GET",status="200",view="task-list"} 5.0' in done.stdout
