"""Benchmark: the daily reminder fan-out over 10,000 due or overdue tasks in 50 departments, with a real worker.

Starts its own redis-server on a free port and a `celery worker` subprocess, on a throw-away
SQLite database (or DATABASE_URL when set), with the in-memory email backend. For two batch
sizes it prints the fan-out's queries, the queries one delivery batch makes, and messages
per second from the fan-out to the last message sent. Last line: `messages_per_s <number>`;
exits 1 when a delivery batch's queries differ between the two batch sizes.

    .venv/bin/python bench/reminders.py [--quick]   # --quick: 1,000 tasks, under a minute
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-reminders-"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REDIS_PORT = _free_port()
os.environ.update(
    DJANGO_SETTINGS_MODULE="cco.settings",
    DEBUG="0",  # production settings: cached templates, no query log in the worker
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + os.urandom(16).hex()),
    CELERY_BROKER_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
    EMAIL_URL="memorymail://",
    LOG_LEVEL="WARNING",
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.fanout import reminders_fan_out
from org.models import Department
from roadmap.models import Initiative, Roadmap, Task

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))
OFFSETS = [3, 1, -1, -2, -3, -4, -5, -6, -7]  # every one of these days makes one message per task


def seed(tasks: int) -> None:
    User = get_user_model()
    today = timezone.localdate()
    User.objects.bulk_create([User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(550)])
    users = list(User.objects.filter(username__startswith="bench").order_by("id"))
    Department.objects.bulk_create(
        [Department(name=f"Department {i}", slug=f"department-{i}", head=users[i]) for i in range(50)]
    )
    departments = list(Department.objects.order_by("id"))
    roadmap = Roadmap.objects.create(name="Bench", period_start=today.replace(month=1, day=1), period_end=today)
    initiative = Initiative.objects.create(
        roadmap=roadmap,
        title="Bench",
        outcome="-",
        owner=users[0],
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=365),
    )
    Task.objects.bulk_create(
        [
            Task(
                initiative=initiative,
                department=departments[i % 50],
                title=f"Task {i}",
                owner=users[50 + i % 500],
                due_date=today + dt.timedelta(days=OFFSETS[i % len(OFFSETS)]),
            )
            for i in range(tasks)
        ],
        batch_size=1000,
    )


def start_redis() -> subprocess.Popen:
    binary = shutil.which("redis-server") or sys.exit("redis-server is not installed")
    process = subprocess.Popen(
        [binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--dir", str(WORK)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def start_worker() -> subprocess.Popen:
    log = open(WORK / "worker.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cco",
            "worker",
            f"--concurrency={CONCURRENCY}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while b"ready." not in (WORK / "worker.log").read_bytes():
        if time.monotonic() > deadline:
            sys.exit("the worker did not start; see " + str(WORK / "worker.log"))
        time.sleep(0.2)
    return process


def run(batch_size: int) -> tuple[float, int]:
    Message.objects.all().delete()
    ReminderSettings.objects.update_or_create(pk=1, defaults={"batch_size": batch_size})
    # Queries of one delivery batch, measured in this process on a batch of the real size.
    with (
        mock.patch("accountability.reminders.fanout.messages_publish"),
        CaptureQueriesContext(connection) as fanout_queries,
    ):
        result = reminders_fan_out()  # recorded but not yet published: the first batch is measured here
    first = result.batches[0]
    with CaptureQueriesContext(connection) as batch_queries:
        messages_deliver(message_ids=first)
    start = time.monotonic()
    Message.objects.exclude(id__in=first).update(enqueued_at=None)
    with CaptureQueriesContext(connection):
        again = reminders_fan_out()  # a second sweep: records nothing new, enqueues the rest for the worker
    total = Message.objects.count() - len(first)
    while Message.objects.filter(status__in=[Message.Status.PENDING, Message.Status.SENDING]).exists():
        time.sleep(0.2)
    elapsed = time.monotonic() - start
    rate = total / elapsed
    inserts = sum(q["sql"].startswith("INSERT") for q in fanout_queries.captured_queries)
    print(
        f"batch_size {batch_size}: messages {result.created}, fan-out queries {len(fanout_queries)} "
        f"({len(fanout_queries) - inserts} reads/updates + {inserts} chunked inserts), "
        f"second sweep created {again.created}, queries per batch {len(batch_queries)} "
        f"({len(batch_queries) / len(first):.2f} per message), worker delivered {total} in {elapsed:.1f} s "
        f"= {rate:.0f} messages/s"
    )
    return rate, len(batch_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 tasks instead of 10,000")
    args = parser.parse_args()
    tasks = 1_000 if args.quick else 10_000
    call_command("migrate", verbosity=0)
    seed(tasks)
    print(f"{tasks} tasks due or overdue across 50 departments; database {connection.vendor}")
    redis = start_redis()
    from cco.celery import app

    app.conf.broker_url = os.environ["CELERY_BROKER_URL"]
    worker = start_worker()
    try:
        results = {size: run(size) for size in (50, 200)}
    finally:
        worker.terminate()
        worker.wait(30)
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(WORK, ignore_errors=True)
    queries = {size: q for size, (_, q) in results.items()}
    constant = len(set(queries.values())) == 1
    print(
        "queries per batch: "
        + ", ".join(f"{q} at batch size {size}" for size, q in queries.items())
        + (" (constant)" if constant else " (NOT constant in batch size)")
    )
    print(f"messages_per_s {max(rate for rate, _ in results.values()):.0f}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
