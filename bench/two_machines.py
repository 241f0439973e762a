"""Two "machines" against one PostgreSQL and one Redis, under API write load, with one beat.

    python bench/two_machines.py [--seconds 180] [--writers 8] [--reminders 300]

Each machine is its own folder and environment: a gunicorn (2 workers, production settings) and
a Celery worker; machine A also runs the one beat. They share what must be shared: DATABASE_URL
(a fresh database `cco_two_machines` on the PostgreSQL of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/), the broker and the cache (a redis-server of the run's own,
databases 0 and 1) and SECRET_KEY. Reminders go to a local SMTP server that counts them.

While writers post check-ins to both web processes in turn, the run checks and then prints:
- requests, errors and latency of the writes; lost writes (answered 201, not in the database);
- reminders: due, accepted by the mail server, duplicates and missing (by X-CCO-Message-Id);
- scorecard recomputes: snapshots per subject and period (more than one is a duplicate);
- a session made on A is valid on B; the login throttle and the lockout hold across A and B.
Exits non-zero when a duplicate, a lost write, a missing reminder or a failed check is seen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.admin_http import admin_login, request
from bench.processes import Processes, free_port
from bench.smtp_sink import command as smtp_command

DATABASE = "cco_two_machines"
PASSWORD = "two-machines-password"  # noqa: S105 - a throwaway database of the bench


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def psql(sql: str) -> None:
    parts = urlsplit(server_url())
    env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1", "PGPORT": str(parts.port or 5432)}
    env["PGUSER"] = parts.username or "postgres"
    if parts.password:
        env["PGPASSWORD"] = parts.password
    subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], env=env, check=True, capture_output=True)


def shell_json(env: dict, code: str) -> dict:
    """Run `code` in `manage.py shell`; its last line of output is JSON."""
    return json.loads(manage(env, "shell", code=code).strip().splitlines()[-1])


def manage(env: dict, *args: str, code: str | None = None) -> str:
    argv = [sys.executable, "manage.py", *args] + (["-c", code] if code else [])
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


SETUP = """
import datetime as dt, json
from django.utils import timezone
from org.api_keys import api_key_create
from tests import factories
head = factories.DepartmentHeadFactory(username="head", password="{password}")
factories.CCOStaffFactory(username="cco", password="{password}")
department = factories.DepartmentFactory(name="Service", slug="service", head=head)
due = timezone.localdate() + dt.timedelta(days=3)
initiative = factories.InitiativeFactory(start_date=due - dt.timedelta(days=90), end_date=due + dt.timedelta(days=90))
tasks = [
    factories.TaskFactory(department=department, initiative=initiative, due_date=due,
                          owner=factories.TaskOwnerFactory(username=f"owner{{i}}"))
    for i in range({reminders})
]
_, key = api_key_create(user=head, name="two machines")
print(json.dumps({{"key": key, "tasks": [t.pk for t in tasks[:50]]}}))
"""

RESULTS = """
import json
from django.db.models import Count
from accountability.models import Message, Scorecard
from roadmap.models import CheckIn
notes = list(CheckIn.objects.filter(note__startswith="w").values_list("note", flat=True))
per_subject = Scorecard.objects.values("scope", "department", "owner", "period_kind", "period_start").annotate(
    n=Count("id"))
print(json.dumps({
    "notes": notes,
    "messages": dict(Message.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")),
    "message_ids": list(Message.objects.filter(status="sent").values_list("id", flat=True)),
    "snapshots": Scorecard.objects.count(),
    "duplicate_snapshots": sum(1 for row in per_subject if row["n"] > 1),
}))
"""


class Machine:
    def __init__(self, name: str, processes: Processes, base_env: dict, work: Path) -> None:
        self.name, self.processes = name, processes
        self.folder = work / f"machine-{name}"
        self.folder.mkdir()
        self.port = free_port()
        self.env = {**base_env, "TMPDIR": str(self.folder), "CELERY_BEAT_SCHEDULE_FILENAME": str(self.folder / "beat")}

    def start(self, *, beat: bool) -> None:
        log = open(self.folder / "web.log", "wb")  # noqa: SIM115 (closed with the process)
        gunicorn = [sys.executable, "-m", "gunicorn", "cco.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}"]
        self.processes.started.append(subprocess.Popen(gunicorn, cwd=ROOT, env=self.env, stdout=log, stderr=log))
        self.processes.worker(self.name, concurrency=2, **self.env)
        if beat:
            beat_log = open(self.folder / "beat.log", "wb")  # noqa: SIM115
            self.processes.started.append(
                subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "cco", "beat", "--loglevel=INFO"],
                    cwd=ROOT,
                    env=self.env,
                    stdout=beat_log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(self.port, "GET", "/admin/login/")
                if status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"web on machine {self.name} did not start:\n{(self.folder / 'web.log').read_text()[-3000:]}")
            time.sleep(0.3)


class Writer(threading.Thread):
    def __init__(self, number: int, ports: list[int], key: str, tasks: list[int], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.number, self.ports, self.key, self.tasks, self.stop = number, ports, key, tasks, stop
        self.ok: list[str] = []
        self.errors = 0
        self.latencies: list[float] = []

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            note = f"w{self.number}-{i}"
            body = json.dumps({"task": self.tasks[i % len(self.tasks)], "note": note, "percent_complete": i % 100})
            started = time.perf_counter()
            try:
                status, _, _ = request(
                    self.ports[i % 2],
                    "POST",
                    "/api/v1/check-ins/",
                    body=body.encode(),
                    headers={"Authorization": f"Token {self.key}", "Content-Type": "application/json"},
                )
            except OSError:
                status = 0
            self.latencies.append(time.perf_counter() - started)
            if status == 201:
                self.ok.append(note)
            else:
                self.errors += 1
            i += 1


def check_sessions(a: Machine, b: Machine) -> bool:
    status, jar = admin_login(a.port, "cco", PASSWORD)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    page_status, _, page = request(b.port, "GET", "/admin/", headers={"Cookie": cookie})
    return status == 302 and page_status == 200 and b"Log out" in page


def check_lockout(a: Machine, b: Machine, attempts: int) -> tuple[bool, list[int]]:
    """Wrong passwords for `head` alternately on A and B, then the right one on B: refused once locked."""
    statuses = [admin_login((a, b)[i % 2].port, "head", "wrong")[0] for i in range(attempts)]
    status, _ = admin_login(b.port, "head", PASSWORD)
    return status != 302, statuses


def check_throttle(a: Machine, b: Machine, rate: int) -> tuple[bool, int]:
    """Token logins alternately on A and B: the shared counter refuses the one past the rate."""
    for n in range(1, rate + 3):
        body = json.dumps({"username": "nobody", "password": "x"}).encode()
        status, _, _ = request(
            (a, b)[n % 2].port, "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
        )
        if status == 429:
            return n == rate + 1, n
    return False, rate + 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=180, help="how long the write load runs")
    parser.add_argument("--writers", type=int, default=8, help="concurrent API writers")
    parser.add_argument("--reminders", type=int, default=300, help="tasks due soon, one reminder each")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cco-two-machines-"))
    processes = Processes(work)
    try:
        run(args, processes, work)
    finally:
        processes.stop()


def run(args, processes: Processes, work: Path) -> None:
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DATABASE}"')
    redis_port, smtp_port = free_port(), processes.smtp_server()
    processes.redis(redis_port)
    throttle_rate = 3  # below LOGIN_FAILURE_LIMIT (5)
    base = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "two-machines-bench-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": server_url() + DATABASE,
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "REMINDERS_SWEEP_SECONDS": "2",
        "SCORECARD_SWEEP_SECONDS": "2",
        "API_THROTTLE_AUTH": f"{throttle_rate}/min",
        "LOG_LEVEL": "INFO",
    }
    manage(base, "migrate", "--no-input")
    manage(base, "collectstatic", "--no-input")
    setup = shell_json(base, SETUP.format(reminders=args.reminders, password=PASSWORD))
    a, b = Machine("a", processes, base, work), Machine("b", processes, base, work)
    a.start(beat=True)
    b.start(beat=False)
    sessions_ok = check_sessions(a, b)
    # The throttle first: its rate is below the lockout's limit, so its 429 comes before a lockout.
    throttle_ok, refused_at = check_throttle(a, b, throttle_rate)
    lockout_ok, lockout_statuses = check_lockout(a, b, 6)

    stop = threading.Event()
    writers = [Writer(n, [a.port, b.port], setup["key"], setup["tasks"], stop) for n in range(args.writers)]
    started = time.monotonic()
    for writer in writers:
        writer.start()
    time.sleep(args.seconds)
    stop.set()
    for writer in writers:
        writer.join(60)
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 120
    while True:  # the reminders finish going out
        results = shell_json(base, RESULTS)
        if results["messages"].get("sent", 0) >= args.reminders or time.monotonic() > deadline:
            break
        time.sleep(2)
    time.sleep(5)  # a duplicate would arrive now
    smtp = smtp_command(smtp_port, "stats")

    ok = [note for writer in writers for note in writer.ok]
    lost = len(set(ok) - set(results["notes"]))
    latencies = sorted(x for writer in writers for x in writer.latencies)
    errors = sum(writer.errors for writer in writers)
    duplicates = smtp["messages"] - smtp["distinct"]
    missing = args.reminders - smtp["distinct"]
    print(f"two machines: web a :{a.port} + worker a + beat, web b :{b.port} + worker b; {elapsed:.0f} s of load")
    print(
        f"writes: {len(latencies):,} requests ({len(latencies) / elapsed:.1f}/s), {errors} errors, "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
    )
    print(f"lost writes: {lost} of {len(ok):,} answered 201")
    print(
        f"reminders: {args.reminders} due, {smtp['messages']} accepted by the mail server, "
        f"{duplicates} duplicates, {missing} missing; messages {results['messages']}"
    )
    print(f"recomputes: {results['snapshots']} snapshots, {results['duplicate_snapshots']} subjects with duplicates")
    print(f"session made on a, valid on b: {'yes' if sessions_ok else 'NO'}")
    lockout = "holds" if lockout_ok else "BROKEN"
    print(f"lockout across a and b: {lockout} (statuses of the wrong passwords {lockout_statuses})")
    print(f"login throttle across a and b: {'holds' if throttle_ok else 'BROKEN'} (first 429 at request {refused_at})")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    failed = lost or duplicates or missing or results["duplicate_snapshots"] or errors
    if failed or not (sessions_ok and lockout_ok and throttle_ok):
        sys.exit(1)


if __name__ == "__main__":
    main()
