"""A real broker and real Celery processes for tests of scheduling, retries and crashes.

Each test gets its own redis-server on a free port (so a test may stop and restart it) and
starts worker and beat processes that use the test database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    predicate: Callable[[], object], *, timeout: float = 30, interval: float = 0.2, message: str = ""
) -> object:
    """Poll until `predicate()` is truthy; fail the test with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s: {message or predicate}")


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; bin/test installs it (apt-get install redis-server).")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, message=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def database_url() -> str:
    """The URL of the test database, for processes the test starts."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


class CeleryProcesses:
    """Starts `celery worker` and `celery beat` processes; stops them all at the end."""

    def __init__(self, broker_url: str, tmp_path: Path) -> None:
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="cco.settings",
            DEBUG="1",
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=self.broker_url,
            CELERY_BEAT_SCHEDULE_FILENAME=str(self.tmp_path / f"beat-{len(self.processes)}"),
            EMAIL_URL="consolemail://",
        )
        env.update(extra)
        return env

    def _start(self, args: list[str], name: str, **extra_env: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}-{len(self.processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cco", *args],
            cwd=ROOT,
            env=self.env(**extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def worker(self, *, concurrency: int = 1, **extra_env: str) -> subprocess.Popen:
        return self._start(
            [
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--pool=prefork",
                f"--hostname=w{len(self.processes)}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            "worker",
            **extra_env,
        )

    def beat(self, **extra_env: str) -> subprocess.Popen:
        return self._start(["beat", "--loglevel=INFO"], "beat", **extra_env)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.tmp_path.glob("*.log")))

    @staticmethod
    def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        """Kill a process and its children (the prefork pool), as a crash would."""
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        process.wait(20)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill(process)


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_processes(transactional_db, redis_server, tmp_path, settings) -> Iterator[CeleryProcesses]:
    """Real worker/beat processes against a private Redis and the test database.

    The test process enqueues through the same broker, so `settings.CELERY_BROKER_URL` and
    the app's connection are pointed at it for the test's duration.
    """
    from cco.celery import app

    previous = app.conf.broker_url
    point_app_at_broker(app, redis_server.url)
    processes = CeleryProcesses(redis_server.url, tmp_path)
    yield processes
    processes.stop_all()
    point_app_at_broker(app, previous)


def point_app_at_broker(app, url: str) -> None:
    """Make this process's Celery app publish to `url` (drops its pooled connections)."""
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


# --- Mail helpers for the reminder tests (added by the reminders work) ---


def sent_message_ids(directory: Path) -> list[int]:
    """Every X-CCO-Message-Id written by the file email backend under `directory` (repeats kept)."""
    import re

    ids: list[int] = []
    for path in directory.glob("*"):
        ids += [int(i) for i in re.findall(rb"X-CCO-Message-Id: (\d+)", path.read_bytes())]
    return ids


class ScriptedSMTPHandler:
    """An aiosmtpd handler: per address, refuse with `transient` for the first `refusals` RCPTs, then
    accept; addresses in `rejected` always get a permanent 550. Records every RCPT and every message."""

    def __init__(self, *, refusals: int = 0, rejected: tuple[str, ...] = (), delay: float = 0) -> None:
        self.refusals = refusals
        self.rejected = set(rejected)
        self.delay = delay  # seconds before answering each DATA: a slow mail server
        self.rcpts: list[str] = []
        self.delivered: list[tuple[str, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpts.append(address)
        if address in self.rejected:
            return "550 5.1.1 No such user here"
        if self.rcpts.count(address) <= self.refusals:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        for address in envelope.rcpt_tos:
            self.delivered.append((address, envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        """The Message-ID of every message the server accepted (repeats kept): the server's own count."""
        import email

        return [email.message_from_bytes(content)["Message-ID"] for _, content in self.delivered]


@pytest.fixture
def smtp_server():
    """Start a local SMTP server on a free port: `server = smtp_server(handler)`; stopped at the end."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(handler: ScriptedSMTPHandler) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        controller.stop()
