"""backup_database and restore_database: a backup taken while others write restores whole, on both databases."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.fanout import reminders_fan_out
from roadmap.models import CheckIn
from tests import factories
from tests.worker import ROOT, database_url, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def empty_database_url(tmp_path):
    """The URL of a new, empty database on the engine the suite runs on (dropped afterwards)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    admin = psycopg.connect(host=host, port=port, user=settings["USER"], dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{settings['USER']}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(*args: str, url: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, DJANGO_SETTINGS_MODULE="cco.settings", DEBUG="1", DATABASE_URL=url, EMAIL_URL="memorymail://"
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _open(url: str):
    if url.startswith("sqlite"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    return psycopg.connect(url.replace("postgres://", "postgresql://"))


def counts_in(url: str, tables: list[str]) -> dict[str, int]:
    """Row counts read straight from a database, not through the product."""
    db = _open(url)
    try:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


def tables_in(url: str) -> list[str]:
    db = _open(url)
    try:
        if url.startswith("sqlite"):
            return [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [n for (n,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    finally:
        db.close()


@pytest.fixture
def sent_reminder(mailoutbox, monkeypatch):
    """A reminder that was due and went out before the backup (delivered here, not through a broker)."""
    monkeypatch.setattr("accountability.reminders.fanout.messages_publish", lambda batches: None)
    factories.TaskFactory(due_date=dt.date(2026, 6, 4), title="Call the key accounts")
    assert reminders_fan_out(now=NOW).created == 1
    messages_deliver(message_ids=list(Message.objects.values_list("id", flat=True)))
    assert len(mailoutbox) == 1
    return Message.objects.get()


class Writer(threading.Thread):
    """Check-ins written two at a time, each pair in one transaction, until told to stop."""

    def __init__(self, task) -> None:
        super().__init__(daemon=True)
        self.task, self.pairs, self.stop = task, 0, threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    for half in range(2):
                        factories.CheckInFactory(task=self.task, note=f"pair {self.pairs} half {half}")
                self.pairs += 1
        finally:
            connection.close()


def test_a_backup_taken_under_write_load_restores_with_equal_counts_and_checksums(
    tmp_path, empty_database_url, sent_reminder
):
    task = factories.TaskFactory()
    factories.CheckInFactory.create_batch(5, task=task)
    writer = Writer(task)
    writer.start()
    wait_until(lambda: writer.pairs >= 20, timeout=30, message="the writer is under way")  # load before the backup
    backup = tmp_path / "cco.backup"
    try:
        call_command("backup_database", str(backup), "--no-progress")
    finally:
        writer.stop.set()
        writer.join(30)
    pairs_after = writer.pairs
    manifest = json.loads((tmp_path / "cco.backup.json").read_text())

    restored = manage("restore_database", str(backup), "--no-progress", url=empty_database_url)

    assert restored.returncode == 0, restored.stderr
    assert "every table matches the manifest" in restored.stdout
    check_ins = manifest["tables"]["roadmap_checkin"]["rows"]
    assert check_ins % 2 == 1  # 5 + whole pairs only: the copy holds no half-written transaction
    assert 5 + 2 * 20 <= check_ins <= 5 + 2 * pairs_after
    tables = sorted(manifest["tables"])
    assert counts_in(empty_database_url, tables) == {t: manifest["tables"][t]["rows"] for t in tables}
    # The restored product works and sends nothing twice: the reminder sent before the backup
    # is neither recorded again by the sweep nor delivered again.
    again = manage(
        "shell",
        "-c",
        "import datetime as dt, json;"
        "from accountability.models import Message;"
        "from accountability.reminders.fanout import reminders_fan_out;"
        "from accountability.reminders.delivery import messages_deliver;"
        "r = reminders_fan_out(now=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC));"
        "o = messages_deliver(message_ids=list(Message.objects.values_list('id', flat=True)));"
        "print(json.dumps([r.created, len(r.batches), o.sent, Message.objects.get().status]))",
        url=empty_database_url,
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1]) == [0, 0, 0, sent_reminder.status]


def test_a_backup_restored_after_the_writes_stop_equals_the_database_table_by_table(tmp_path, empty_database_url):
    factories.CheckInFactory.create_batch(3)
    backup = tmp_path / "quiet.backup"
    call_command("backup_database", str(backup), "--no-progress")
    manifest = json.loads((tmp_path / "quiet.backup.json").read_text())
    tables = sorted(manifest["tables"])

    assert counts_in(database_url(), tables) == {t: manifest["tables"][t]["rows"] for t in tables}
    assert manage("restore_database", str(backup), "--no-progress", url=empty_database_url).returncode == 0
    again = tmp_path / "restored.backup"
    assert manage("backup_database", str(again), "--no-progress", url=empty_database_url).returncode == 0
    assert json.loads((tmp_path / "restored.backup.json").read_text())["tables"] == manifest["tables"]


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(tmp_path):
    factories.CheckInFactory()
    backup = tmp_path / "cco.backup"
    call_command("backup_database", str(backup), "--no-progress")
    factories.CheckInFactory()

    result = manage("restore_database", str(backup), "--no-progress", url=database_url())

    assert result.returncode == 1
    assert "is not empty: restore into a new, empty database" in result.stderr
    assert "Nothing was restored." in result.stderr
    assert CheckIn.objects.count() == 2


def test_a_restore_that_does_not_match_its_manifest_is_reported(tmp_path, empty_database_url):
    factories.CheckInFactory()
    backup = tmp_path / "cco.backup"
    call_command("backup_database", str(backup), "--no-progress")
    manifest_file = tmp_path / "cco.backup.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["tables"]["roadmap_checkin"]["rows"] = 2
    manifest_file.write_text(json.dumps(manifest))

    result = manage("restore_database", str(backup), "--no-progress", url=empty_database_url)

    assert result.returncode == 1
    assert "differs from the backup's manifest in 1 table(s): roadmap_checkin" in result.stderr


def test_backup_refuses_to_overwrite_a_file_or_write_into_a_missing_folder(tmp_path):
    existing = tmp_path / "cco.backup"
    existing.write_text("yesterday's backup")
    with pytest.raises(CommandError, match="already exists; choose a new file name"):
        call_command("backup_database", str(existing), "--no-progress")
    assert existing.read_text() == "yesterday's backup"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup_database", str(tmp_path / "missing" / "cco.backup"), "--no-progress")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_database_url):
    not_a_backup = Path(tmp_path / "notes.txt")
    not_a_backup.write_text("not a database")

    result = manage("restore_database", str(not_a_backup), "--no-progress", url=empty_database_url)

    assert result.returncode == 1
    assert "CommandError" in result.stderr
    assert tables_in(empty_database_url) == []
