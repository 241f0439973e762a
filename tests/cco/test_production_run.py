"""`bin/run --production` on one machine: PostgreSQL, its own Redis, gunicorn, two Celery workers and beat.

The test starts the documented command on free ports against the test's PostgreSQL database and
a redis-server of its own, with email going to a local SMTP server. It waits for readiness,
logs in through the admin's form, sees every due reminder arrive exactly once, by email and in
the department's chat channel (a local JSON webhook), although two workers share the batches,
reads the metrics, and stops everything.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import time

import pytest
from django.db import connection
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from bench.admin_http import admin_login, request
from integrations.services import chat_channel_save
from tests import factories
from tests.integrations.conftest import peer_server as peer_server  # the fixture
from tests.integrations.receiver import Peer
from tests.worker import ROOT, ScriptedSMTPHandler, _free_port, database_url, wait_until
from tests.worker import smtp_server as smtp_server  # the fixture

pytestmark = pytest.mark.slow  # a whole production stack: migrate, collectstatic, seven processes
PASSWORD = "production-run-password"  # a throwaway account of the test database
TOKEN = "production-run-metrics-token"
REMINDERS = 6
# Not inherited from the test run: they would point the stack elsewhere, or at the test settings.
DROPPED = ("SECRET_KEY", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_BACKEND", "DJANGO_SETTINGS_MODULE", "DEBUG")


def _ready(port: int) -> bool:
    try:
        return request(port, "GET", "/health/ready")[0] == 200
    except OSError:
        return False


def _due_soon_reminders(count: int):
    """`count` tasks due in three days, each with its own owner: one due-soon reminder each, two to a batch."""
    staff = factories.CCOStaffFactory(username="cco")
    staff.set_password(PASSWORD)  # with the production hasher (the test settings' MD5 is not one of its)
    staff.save()
    department = factories.DepartmentFactory(name="Service", slug="service")
    due = timezone.localdate() + dt.timedelta(days=3)
    initiative = factories.InitiativeFactory(
        start_date=due - dt.timedelta(days=90), end_date=due + dt.timedelta(days=90)
    )
    for i in range(count):
        owner = factories.TaskOwnerFactory(username=f"owner{i}")
        factories.TaskFactory(department=department, owner=owner, initiative=initiative, due_date=due)
    ReminderSettings.objects.update_or_create(pk=1, defaults={"batch_size": 2})  # batches for both workers
    return department


def _metric(text: str, line_start: str) -> float:
    found = [line for line in text.splitlines() if line.startswith(line_start)]
    assert found, f"no metric line starting with {line_start!r}"
    return sum(float(line.rsplit(" ", 1)[1]) for line in found)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to bin/run, as Ctrl-C would; it stops its processes (warm shutdown) and exits."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_bin_run_production_gets_ready_logs_in_and_sends_each_reminder_once(
    transactional_db, redis_server, smtp_server, peer_server, tmp_path, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("the production stack runs on PostgreSQL: run with DATABASE_URL=postgres://…")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    department = _due_soon_reminders(REMINDERS)
    chat = Peer()  # the department's chat channel: a generic JSON webhook on this machine
    chat_channel_save(department=department, url=f"json://127.0.0.1:{peer_server(chat).port}/hook")
    handler = ScriptedSMTPHandler()
    mail = smtp_server(handler)
    port, run_dir = _free_port(), tmp_path / "run"
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_server.url,
        PORT=str(port),
        RUN_DIR=str(run_dir),
        STATIC_ROOT=str(tmp_path / "static"),
        EMAIL_URL=f"smtp://127.0.0.1:{mail.port}",
        METRICS_TOKEN=TOKEN,
        WEB_WORKERS="2",
        WORKER_CONCURRENCY="1",
        HEALTH_HEARTBEAT_SECONDS="1",
        REMINDERS_SWEEP_SECONDS="2",
        CHAT_SWEEP_SECONDS="1",
        LOG_FORMAT="json",
    )
    started = time.monotonic()
    log = open(tmp_path / "bin-run.log", "wb")  # noqa: SIM115 - closed at the end
    process = subprocess.Popen(
        ["bash", "bin/run", "--production"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _ready(port) or process.poll() is not None, timeout=180, message="the stack to get ready")
        assert process.poll() is None, (tmp_path / "bin-run.log").read_text()[-3000:]
        ready_after = time.monotonic() - started
        assert (run_dir / "secret_key").stat().st_mode & 0o077 == 0  # made for this machine, readable by its owner only

        # Logged in through the admin's own form; static files served by the web processes themselves.
        status, jar = admin_login(port, "cco", PASSWORD)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        assert status == 302
        status, _, page = request(port, "GET", "/admin/", headers={"Cookie": cookie})
        assert status == 200 and b"Log out" in page
        stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]+\.css)"', page).group(1).decode()
        assert request(port, "GET", stylesheet)[0] == 200

        # Every reminder arrives exactly once, though two workers share the batches.
        wait_until(lambda: len(handler.delivered) >= REMINDERS, timeout=90, message="every reminder sent")
        time.sleep(4)  # two more sweeps: a duplicate would arrive now
        ids = handler.message_ids()
        assert len(ids) == len(set(ids)) == REMINDERS
        assert Message.objects.filter(status=Message.Status.SENT).count() == REMINDERS
        # And each reached the department's chat channel once, through the same two workers.
        wait_until(lambda: len(chat.accepted()) >= REMINDERS, timeout=60, message="every chat post sent")
        time.sleep(3)  # another chat sweep: a duplicate would arrive now
        posts = [r.body for r in chat.accepted()]
        assert len(posts) == len(set(posts)) == REMINDERS

        # The metrics add up every gunicorn worker's requests, and read the reminders from the database.
        for _ in range(6):
            assert request(port, "GET", "/health/live")[0] == 200
        status, _, text = request(port, "GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        metrics = text.decode()
        assert status == 200
        assert _metric(metrics, 'cco_http_requests_total{method="GET",status="200",view="probe:live"}') == 6
        assert _metric(metrics, 'cco_reminder_messages{status="sent"}') == REMINDERS
        assert (
            _metric(
                metrics, 'cco_celery_task_runs_total{outcome="succeeded",task="accountability.reminders_deliver_batch"}'
            )
            >= 3
        )
        assert request(port, "GET", "/metrics")[0] == 403
    finally:
        _stop(process)
        log.close()
    output = (tmp_path / "bin-run.log").read_text()
    assert process.returncode in (0, 143), output[-3000:]
    assert "Stopping 4 processes" in output
    with pytest.raises(OSError):  # nothing listens any more
        request(port, "GET", "/health/live")
    print(f"bin/run --production: ready after {ready_after:.0f} s, whole test {time.monotonic() - started:.0f} s")
