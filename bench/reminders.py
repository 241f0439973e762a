"""Benchmark: reminder delivery through a real local SMTP server, beside the in-memory backend, at growing sizes.

    .venv/bin/python bench/reminders.py                 # 1x, 5x, 20x (1,000, 5,000, 20,000 messages), best of 3
    .venv/bin/python bench/reminders.py --quick         # 1x only, one round: under a minute
    .venv/bin/python bench/reminders.py --scale 100 --repeat 1

Starts its own redis-server (the broker), a local SMTP server (aiosmtpd, in its own process) and
two Celery workers (BENCH_CONCURRENCY processes each, default 1): one sends by SMTP, the other
to Django's in-memory backend. The data goes into a throw-away SQLite database, or
DATABASE_URL. At each scale the fan-out records one message per task (1,000 tasks per 1x, in
50 departments), then the same batches are delivered by each worker in turn, alternating,
`--repeat` rounds each; the best round of each counts. The rate is messages / (last `sent_at`
- publication of the first batch). Every round checks exactly once: every message sent, and
through SMTP each one received once, over one SMTP session per batch.

Before the rounds, each worker delivers one batch unmeasured: a worker lives long, and its
first batch also imports, connects and compiles templates (about half a second).

Also prints the queries of one delivery batch at batch sizes 50 and 200: with the default
database journal, a fixed few plus the write of each message sent (the exactly-once
guarantee, docs/reminders.md); with a folder journal, the fixed few alone. Exit 1 when the
fixed part differs between the two sizes.
Last line: `ratio <SMTP / in-memory, at the largest scale> smtp_per_s <n> memory_per_s <n>`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import smtplib
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.processes import Processes, free_port
from bench.smtp_sink import command as smtp_command

WORK = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
REDIS_PORT = free_port()
os.environ.update(
    DJANGO_SETTINGS_MODULE="cco.settings",
    DEBUG="0",  # production settings: cached templates, no query log in the workers
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
from django.db.models import Max
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.fanout import DELIVER_TASK, reminders_fan_out
from accountability.reminders.render import message_render
from core.mail import FastEmail
from org.models import Department
from roadmap.models import Initiative, Roadmap, Task

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))
TASKS_PER_SCALE = 1_000
OFFSETS = [3, 1, -1, -2, -3, -4, -5, -6, -7]  # every one of these days makes one message per task
S = Message.Status


def seed_people() -> None:
    User = get_user_model()
    today = timezone.localdate()
    User.objects.bulk_create([User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(550)])
    users = list(User.objects.filter(username__startswith="bench").order_by("id"))
    Department.objects.bulk_create(
        [Department(name=f"Department {i}", slug=f"department-{i}", head=users[i]) for i in range(50)]
    )
    roadmap = Roadmap.objects.create(name="Bench", period_start=today.replace(month=1, day=1), period_end=today)
    Initiative.objects.create(
        roadmap=roadmap,
        title="Bench",
        outcome="-",
        owner=users[0],
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=365),
    )


def seed_tasks(tasks: int) -> None:
    """Replace every task (and message) with `tasks` tasks due or overdue today, one message each."""
    Message.objects.all().delete()
    Task.objects.all().delete()
    today = timezone.localdate()
    users = list(get_user_model().objects.filter(username__startswith="bench").order_by("id"))
    departments, initiative = list(Department.objects.order_by("id")), Initiative.objects.get()
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


def queries_per_batch(batch_size: int, journal_url: str) -> tuple[int, int]:
    """(queries, messages sent) of one delivery batch of `batch_size`, in this process (in-memory mail)."""
    Message.objects.all().delete()
    ReminderSettings.objects.update_or_create(pk=1, defaults={"batch_size": batch_size})
    with mock.patch("accountability.reminders.fanout.messages_publish"):
        first = reminders_fan_out().batches[0]
    with override_settings(REMINDERS_JOURNAL_URL=journal_url), CaptureQueriesContext(connection) as captured:
        sent = messages_deliver(message_ids=first).sent
    return len(captured), sent


def queries_line() -> tuple[str, bool]:
    """The queries of a batch at sizes 50 and 200, with the default database journal and a folder journal.

    The database journal writes each accepted message's row at once (the exactly-once
    guarantee, docs/reminders.md): its fixed part must not grow; a folder journal's whole count.
    """
    database = {size: queries_per_batch(size, "database://") for size in (50, 200)}
    folder = {size: queries_per_batch(size, (WORK / "journal").as_uri())[0] for size in (50, 200)}
    fixed = {size: queries - sent for size, (queries, sent) in database.items()}
    constant = len(set(fixed.values())) == 1 and len(set(folder.values())) == 1
    line = (
        "queries per delivery batch: database journal "
        + ", ".join(f"{q} at batch size {size} ({q - s} + {s} sent)" for size, (q, s) in database.items())
        + "; folder journal "
        + ", ".join(f"{q} at batch size {size}" for size, q in folder.items())
        + (" (constant apart from one write per message sent)" if constant else " (NOT constant in batch size)")
    )
    return line, constant


def fan_out() -> tuple[list[list[int]], float, int]:
    """Record every message due (not published: each round publishes them to one worker)."""
    Message.objects.all().delete()
    ReminderSettings.objects.update_or_create(pk=1, defaults={"batch_size": 100})
    started = time.perf_counter()
    with mock.patch("accountability.reminders.fanout.messages_publish"), CaptureQueriesContext(connection) as q:
        result = reminders_fan_out()
    return result.batches, time.perf_counter() - started, len(q)


def deliver(app, queue: str, batches: list[list[int]], smtp_port: int, *, warm_up: bool = False) -> float:
    """Deliver every message of `batches` once through the worker on `queue`; returns messages per second.

    A round delivers every message there is; a warm-up only its batches (polled by id: a list
    of every id in each poll would take the CPU the worker needs).
    """
    total = sum(map(len, batches))
    messages = Message.objects.filter(pk__in=batches[0]) if warm_up else Message.objects.all()
    messages.update(status=S.PENDING, attempts=0, sent_at=None, claimed_at=None, claim_token=None)
    smtp_command(smtp_port, "reset")
    started = timezone.now()
    signature = app.signature(DELIVER_TASK, queue=queue)
    for batch in batches:
        signature.delay(batch)
    deadline = time.monotonic() + 600
    while messages.filter(status__in=[S.PENDING, S.SENDING]).exists():
        if time.monotonic() > deadline:
            sys.exit(f"{queue}: delivery did not finish in 10 minutes")
        time.sleep(0.05)
    sent = messages.filter(status=S.SENT).count()
    if sent != total:
        sys.exit(f"{queue}: {sent} of {total} messages sent")
    if queue == "smtp":
        stats = smtp_command(smtp_port, "stats")
        if stats["messages"] != total or stats["distinct"] != total:
            sys.exit(f"smtp: the server received {stats} for {total} messages")
        if stats["sessions"] != len(batches):
            print(f"  note: {stats['sessions']} SMTP sessions for {len(batches)} batches")
    last = messages.aggregate(last=Max("sent_at"))["last"]
    return total / (last - started).total_seconds()


def server_ceiling(smtp_port: int, count: int) -> float:
    """Messages/s that smtplib alone reaches against the same server: one session, one real reminder's bytes."""
    message = Message.objects.select_related("recipient", "task__department", "task__initiative", "task__owner")[0]
    subject, text, html = message_render(message=message)
    email = FastEmail(subject=subject, body=text, to=[message.recipient.email], headers={"X-CCO-Message-Id": "0"})
    email.attach_alternative(html, "text/html")
    data = email.message().as_bytes(linesep="\r\n")
    with smtplib.SMTP("127.0.0.1", smtp_port) as client:
        started = time.perf_counter()
        for _ in range(count):
            client.sendmail("bench@example.com", [message.recipient.email], data)
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1x only, one round")
    parser.add_argument("--scale", default="1,5,20", help="comma-separated multiples of 1,000 tasks (default 1,5,20)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per backend and scale; the best counts")
    args = parser.parse_args()
    scales = [1] if args.quick else [int(s) for s in args.scale.split(",")]
    repeat = 1 if args.quick else args.repeat
    call_command("migrate", verbosity=0)
    seed_people()
    print(f"database {connection.vendor}, {CONCURRENCY} worker process(es) per backend, batches of 100")
    processes = Processes(WORK)
    try:
        processes.redis(REDIS_PORT)  # the broker
        seed_tasks(TASKS_PER_SCALE)
        queries, constant = queries_line()
        smtp_port = processes.smtp_server()
        processes.worker("memory", queues="memory", concurrency=CONCURRENCY)
        processes.worker("smtp", queues="smtp", concurrency=CONCURRENCY, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
        from cco.celery import app

        rates = {}
        for scale in scales:
            seed_tasks(TASKS_PER_SCALE * scale)
            batches, fan_out_s, fan_out_queries = fan_out()
            best = {"memory": 0.0, "smtp": 0.0, "ceiling": 0.0}
            for queue in ("memory", "smtp"):  # a long-lived worker has imported, connected, compiled
                deliver(app, queue, batches[:1], smtp_port, warm_up=True)
            for _ in range(repeat):
                for queue in ("memory", "smtp"):
                    best[queue] = max(best[queue], deliver(app, queue, batches, smtp_port))
                best["ceiling"] = max(best["ceiling"], server_ceiling(smtp_port, min(2000, 1000 * scale)))
            rates[scale] = best
            print(
                f"{scale}x ({sum(map(len, batches)):,} messages): "
                f"fan-out {fan_out_s:.2f} s, {fan_out_queries} queries; "
                f"in-memory {best['memory']:.0f}/s, SMTP {best['smtp']:.0f}/s "
                f"(ratio {best['smtp'] / best['memory']:.2f}); "
                f"the server's ceiling (smtplib alone) {best['ceiling']:.0f}/s "
                f"(SMTP at {best['smtp'] / best['ceiling']:.2f} of it)"
            )
    finally:
        processes.stop()
    print(queries)
    print(
        "scaling (messages/s, in-memory / SMTP / server ceiling): "
        + ", ".join(f"{s}x {r['memory']:.0f} / {r['smtp']:.0f} / {r['ceiling']:.0f}" for s, r in rates.items())
    )
    top = rates[scales[-1]]
    print(
        f"ratio {top['smtp'] / top['memory']:.2f} smtp_per_s {top['smtp']:.0f} memory_per_s {top['memory']:.0f} "
        f"smtp_of_ceiling {top['smtp'] / top['ceiling']:.2f}"
    )
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
