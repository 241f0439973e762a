"""The SQLite default takes a web server, a worker and beat writing at once: 20 writer
processes (not threads) writing through the services all succeed, with no "database is locked"."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from customers.models import Reading
from roadmap.models import CheckIn
from tests import factories
from tests.worker import ROOT, database_url, wait_until

WRITERS = 20
WRITES = 5

pytestmark = [
    pytest.mark.sqlite,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="concurrent writers matter on SQLite only"),
]


def test_twenty_writer_processes_all_succeed_on_the_sqlite_default(transactional_db, tmp_path):
    task = factories.TaskFactory()
    metric = factories.MetricFactory(level="department")
    department = task.department
    env = {"DATABASE_URL": database_url(), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cco.settings"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.sqlite_writer", f"--writer={n}", f"--writes={WRITES}", f"--task={task.pk}",
             f"--metric={metric.pk}", f"--department={department.pk}", f"--signals={tmp_path}"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n in range(WRITERS)
    ]  # fmt: skip
    try:
        # Start together: every writer has set Django up and connected before any writes.
        wait_until(
            lambda: len(list(tmp_path.glob("ready-*"))) == WRITERS or any(w.poll() for w in writers),
            timeout=300,
            message="writers ready",
        )
        (tmp_path / "go").touch()
        outputs = [w.communicate(timeout=300)[0].decode() for w in writers]
    finally:
        for writer in writers:
            writer.kill()
    assert [w.returncode for w in writers] == [0] * WRITERS, "\n".join(outputs)
    assert not any("database is locked" in output for output in outputs)
    assert {p.read_text() for p in tmp_path.glob("ready-*")} == {"wal"}
    assert CheckIn.objects.filter(task=task).count() == WRITERS * WRITES
    per_writer = {f"writer-{n}" for n in range(WRITERS)}
    assert set(Reading.objects.values_list("source", flat=True).distinct()) == per_writer
    assert Reading.objects.count() == WRITERS * WRITES
