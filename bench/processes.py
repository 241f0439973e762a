"""Processes the worker benchmarks start: their own redis-server, Celery workers, a local SMTP server.

Everything listens on 127.0.0.1 on free ports and is stopped by `Processes.stop()`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.started: list[subprocess.Popen] = []

    def redis(self, port: int) -> None:
        binary = shutil.which("redis-server") or sys.exit("redis-server is not installed")
        self.started.append(
            subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(self.work)],
                stdout=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("redis-server did not start")
                time.sleep(0.05)

    def worker(self, name: str, *, queues: str = "celery", concurrency: int = 1, **env: str) -> None:
        """A `celery worker` with extra environment; returns once it is ready."""
        log_path = self.work / f"worker-{name}.log"
        log = open(log_path, "wb")  # noqa: SIM115  (closed with the process)
        self.started.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cco",
                    "worker",
                    f"--concurrency={concurrency}",
                    f"--queues={queues}",
                    f"--hostname={name}@bench",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        deadline = time.monotonic() + 90
        while b"ready." not in log_path.read_bytes():
            if time.monotonic() > deadline or self.started[-1].poll() is not None:
                sys.exit(f"the worker {name} did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)

    def smtp_server(self) -> int:
        """A real SMTP server (aiosmtpd, bench/smtp_sink.py) in its own process; returns its port."""
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port)], stdout=subprocess.PIPE, cwd=ROOT
        )
        self.started.append(process)
        if process.stdout.readline().strip() != b"ready":
            sys.exit("the SMTP server did not start")
        return port

    def stop(self) -> None:
        for process in reversed(self.started):
            process.terminate()
        for process in self.started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(self.work, ignore_errors=True)
