"""Throughput of the task list API against a bare Django view returning the same rows.

    python bench/api.py [--quick] [--port 8301] [--workers 2] [--connections 4]

Builds (once) a data set of 20,000 tasks over 50 departments in var/bench-api.sqlite3 (or
DATABASE_URL), serves it with gunicorn in production settings (DEBUG=0, SECURE_SSL_REDIRECT=0)
on 127.0.0.1, and loads `GET /api/v1/tasks/?department=<id>&page_size=100` (token
authenticated) and the bare view `/bench/bare-tasks/` (BENCH_BARE_VIEW=1) with wrk, 30 s
each in 6 alternating rounds of 5 s (`--quick`: 3 rounds of 2 s), so that load from other
processes hits both alike. Prints requests/s, p95 latency (median round) and errors of both;
the last line is `ratio <api/bare>` (throughput). Needs wrk (`apt-get install -y wrk`; installed when missing
and apt-get is usable).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def ensure_wrk() -> str:
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        sys.exit("bench/api.py needs wrk: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk")
    return shutil.which("wrk")


def bench_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-api.sqlite3'}")
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BENCH_BARE_VIEW="1",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict) -> tuple[str, int]:
    (ROOT / "var").mkdir(exist_ok=True)
    command = [sys.executable, str(ROOT / "bench" / "data.py"), "--migrate", "--token"]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    print(out.splitlines()[0])
    token, department = re.search(r"TOKEN (\S+) (\d+)", out).groups()
    return token, int(department)


def fetch(url: str, token: str) -> dict:
    # Only our own loopback server's http:// URLs come here.
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def wait_for(url: str, token: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(url, token)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def wrk_run(wrk: str, url: str, token: str, seconds: int, connections: int, script: str) -> tuple[int, ...]:
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        "-H",
        f"Authorization: Token {token}",
        "-s",
        script,
        f"-d{seconds}s",
        url,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return tuple(map(int, re.search(r"RESULT (\d+) (\d+) (\d+) (\d+)", out).groups()))


def load(wrk: str, urls: dict, token: str, rounds: int, seconds: int, connections: int, script: str) -> dict:
    """Alternate short rounds of each target, so that a busy machine slows both alike."""
    for url in urls.values():
        wrk_run(wrk, url, token, 1, connections, script)  # warm up
    runs: dict[str, list] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            runs[name].append(wrk_run(wrk, url, token, seconds, connections, script))
    results = {}
    for name, rows in runs.items():
        requests, duration_us = sum(r[0] for r in rows), sum(r[1] for r in rows)
        p95s = sorted(r[2] for r in rows)
        results[name] = {
            "rps": requests / (duration_us / 1e6),
            "p95_ms": p95s[len(p95s) // 2] / 1000,  # the median round's p95
            "errors": sum(r[3] for r in rows),
            "requests": requests,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="6 s per target instead of 30 s")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    args = parser.parse_args()
    wrk, env = ensure_wrk(), bench_env()
    token, department = prepare(env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cco.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "--no-control-socket",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        host = f"http://127.0.0.1:{args.port}"
        api = f"{host}/api/v1/tasks/?department={department}&page_size=100"
        bare = f"{host}/bench/bare-tasks/?department={department}&page_size=100"
        wait_for(api, token)
        api_ids = [row["id"] for row in fetch(api, token)["results"]]
        assert api_ids == [row["id"] for row in fetch(bare, token)["results"]] and len(api_ids) == 100, "different rows"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        rounds, seconds = (3, 2) if args.quick else (6, 5)
        results = load(wrk, {"api": api, "bare": bare}, token, rounds, seconds, args.connections, script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name, r in results.items():
        print(
            f"{name:5} {r['rps']:8.1f} req/s  p95 {r['p95_ms']:7.1f} ms  {r['requests']} requests  {r['errors']} errors"
        )
    print(f"p95 ratio (api/bare) {results['api']['p95_ms'] / results['bare']['p95_ms']:.2f}")
    print(f"ratio {results['api']['rps'] / results['bare']['rps']:.2f}")


if __name__ == "__main__":
    main()
