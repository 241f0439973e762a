"""Throughput of the task list API against raw SQL + JSON encoding of the same page, as CCO staff and as a head.

    python bench/api.py [--scale 1,5,20] [--quick] [--port 8301] [--workers 2] [--connections 4]

For each `--scale N` (N thousand tasks over 2.5·N departments, 6 to 50) it builds the data
once in var/bench-api-<N>.sqlite3 (or DATABASE_URL with {scale} in it), serves it with
gunicorn in production settings (DEBUG=0, SECURE_SSL_REDIRECT=0) on 127.0.0.1, and loads with
wrk `GET /api/v1/tasks/?department=<id>&page_size=100` and the yardstick `/bench/raw-tasks/`
(BENCH_BARE_VIEW=1: the same page, fields, order, visibility and token check, from raw SQL
and json.dumps; the same bytes, checked before loading, but for its address in the `next`
link), each as CCO staff (who see everything) and as the department's head (whose
per-department visibility filter applies). 6 alternating rounds of 5 s per target
(`--quick`: --scale 1, 3 rounds of 2 s), so that load from other processes hits all alike.
Prints requests/s (all rounds, and the best round), p95 latency (median round) and errors of
each, the ratios api/raw (of all rounds, and of the best rounds), and a scaling line. The last
line is `ratio <api/raw, the worse role at the largest scale>` (all rounds).
Needs wrk (`apt-get install -y wrk`; installed when missing and apt-get is usable).
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


def bench_env(scale: int) -> dict:
    env = dict(os.environ)
    env["DATABASE_URL"] = env.get("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-api-{scale}.sqlite3'}")
    env["DATABASE_URL"] = env["DATABASE_URL"].format(scale=scale)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BENCH_BARE_VIEW="1",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict, scale: int) -> tuple[str, str, int]:
    (ROOT / "var").mkdir(exist_ok=True)
    command = [sys.executable, str(ROOT / "bench" / "data.py"), "--migrate", "--token", "--scale", str(scale)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    print(f"--scale {scale}: {out.splitlines()[0]}")
    cco, head, department = re.search(r"TOKEN (\S+) (\S+) (\d+)", out).groups()
    return cco, head, int(department)


def fetch(url: str, token: str) -> bytes:
    # Only our own loopback server's http:// URLs come here.
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.read()


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


def load(wrk: str, targets: dict, rounds: int, seconds: int, connections: int, script: str) -> dict:
    """Alternate short rounds of each target (name: (url, token)), so that a busy machine slows all alike."""
    for url, token in targets.values():
        wrk_run(wrk, url, token, 1, connections, script)  # warm up
    runs: dict[str, list] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, token) in targets.items():
            runs[name].append(wrk_run(wrk, url, token, seconds, connections, script))
    results = {}
    for name, rows in runs.items():
        requests, duration_us = sum(r[0] for r in rows), sum(r[1] for r in rows)
        p95s = sorted(r[2] for r in rows)
        results[name] = {
            "rps": requests / (duration_us / 1e6),
            "best_rps": max(r[0] / (r[1] / 1e6) for r in rows),  # the round least disturbed by other load
            "p95_ms": p95s[len(p95s) // 2] / 1000,  # the median round's p95
            "errors": sum(r[3] for r in rows),
            "requests": requests,
        }
    return results


GUNICORN = [sys.executable, "-m", "gunicorn", "cco.wsgi"]


def run_scale(args: argparse.Namespace, wrk: str, scale: int) -> dict:
    env = bench_env(scale)
    cco, head, department = prepare(env, scale)
    server = subprocess.Popen(
        [*GUNICORN, "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers), "--no-control-socket"],
        env=env,
        cwd=ROOT,
    )
    try:
        host = f"http://127.0.0.1:{args.port}"
        api = f"{host}/api/v1/tasks/?department={department}&page_size=100"
        raw = f"{host}/bench/raw-tasks/?department={department}&page_size=100"
        wait_for(api, cco)
        for token in (cco, head):
            api_page, raw_page = fetch(api, token), fetch(raw, token)
            assert len(json.loads(api_page)["results"]) == 100, "not a full page"
            # The same bytes, but for the yardstick's own address in the `next` link.
            assert api_page == raw_page.replace(b"/bench/raw-tasks/", b"/api/v1/tasks/"), "different answers"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        rounds, seconds = (3, 2) if args.quick else (6, 5)
        targets = {"api as CCO": (api, cco), "raw as CCO": (raw, cco), "api as head": (api, head)}
        targets["raw as head"] = (raw, head)
        results = load(wrk, targets, rounds, seconds, args.connections, script.name)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name, r in results.items():
        print(
            f"  {name:12} {r['rps']:8.1f} req/s (best round {r['best_rps']:6.1f})  p95 {r['p95_ms']:7.1f} ms  "
            f"{r['requests']} requests  {r['errors']} errors"
        )
    ratios = {role: results[f"api as {role}"]["rps"] / results[f"raw as {role}"]["rps"] for role in ("CCO", "head")}
    best = {role: results[f"api as {role}"]["best_rps"] / results[f"raw as {role}"]["best_rps"] for role in ratios}
    texts = [f"api/raw as {role} {ratio:.2f} (best rounds {best[role]:.2f})" for role, ratio in ratios.items()]
    print("  " + ", ".join(texts))
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="--scale 1, 6 s per target instead of 30 s")
    parser.add_argument("--scale", default="1,5,20", help="comma-separated scales (default 1,5,20)")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    args = parser.parse_args()
    wrk = ensure_wrk()
    scales = [1] if args.quick else [int(s) for s in args.scale.split(",")]
    by_scale = {scale: run_scale(args, wrk, scale) for scale in scales}
    print(
        "scaling (api/raw): " + ", ".join(f"{s}x CCO {r['CCO']:.2f} head {r['head']:.2f}" for s, r in by_scale.items())
    )
    print(f"ratio {min(by_scale[scales[-1]].values()):.2f}")


if __name__ == "__main__":
    main()
