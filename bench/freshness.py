"""Benchmark: how long after an edit its author sees the fresh scorecard, through a real worker.

    .venv/bin/python bench/freshness.py                # demo_data --scale 1, 5 and 20; 8 edits per pattern
    .venv/bin/python bench/freshness.py --quick        # --scale 1 only, 5 edits per pattern
    .venv/bin/python bench/freshness.py --scale 5 --edits 20

For each scale it builds `demo_data --scale N` once (bench/data/, or BENCH_DATABASE_URL with
{scale} in it) and starts its own redis-server and one Celery worker with the production
settings (SCORECARD_RECOMPUTE_DELAY as configured, 2 s by default). Each edit is a reading
saved through the service, as the admin and the API save it; its wait ends when the
department's current monthly snapshot was computed after the commit and nothing is stale.

Two patterns: edits after a quiet spell (DELAY + 1 s apart: a person edits, then looks), and
a burst (an edit every 0.25 s). The baseline, measured in the same run, is the recompute
itself: one department's and the company's current month and quarter, in this process.
Last line: `median_s <quiet> burst_median_s <burst> recompute_s <baseline> ratio <quiet/baseline>`
at the largest scale.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.processes import Processes, free_port

DATA = ROOT / "bench" / "data"
POLL_S = 0.02


def database_url(scale: int) -> str:
    template = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{DATA}/freshness-{{scale}}.sqlite3")
    return template.format(scale=scale)


def child(scale: int, edits: int) -> None:
    """One scale, in its own process (Django's settings are per process)."""
    work = Path(tempfile.mkdtemp(prefix="bench-freshness-"))
    redis_port = free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cco.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + os.urandom(16).hex()),
        CELERY_BROKER_URL=f"redis://127.0.0.1:{redis_port}/0",
        DATABASE_URL=database_url(scale),
        EMAIL_URL="memorymail://",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from org.models import Department

    DATA.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    if not Department.objects.exists():
        started = time.perf_counter()
        call_command("demo_data", scale=scale, no_progress=True, verbosity=0)
        print(f"  built demo_data --scale {scale} in {time.perf_counter() - started:.0f} s", flush=True)
    processes = Processes(work)
    try:
        processes.redis(redis_port)
        processes.worker("freshness")
        department, metric = _subject()
        _settle()
        baseline = _recompute_seconds(department)
        quiet = []
        for i in range(edits):
            time.sleep(settings.SCORECARD_RECOMPUTE_DELAY + 1)  # a quiet spell: the last sweep is long done
            quiet.append(_edit_and_wait(department, metric, i))
        burst = _burst(department, metric, edits)
    finally:
        processes.stop()
    print(
        f"RESULT {scale} {statistics.median(quiet):.3f} {max(quiet):.3f} "
        f"{statistics.median(burst):.3f} {max(burst):.3f} {baseline:.3f}"
    )


def _subject():
    from customers.models import Metric
    from org.models import Department

    department = Department.objects.order_by("pk").first()
    metric = Metric.objects.filter(level="department").order_by("pk").first() or Metric.objects.first()
    return department, metric


def _save(department, metric, i: int):
    """Save a reading within the metric's range through the service; returns the commit time."""
    from django.utils import timezone

    from customers.services import reading_create

    low = metric.min_value if metric.min_value is not None else Decimal(0)
    high = metric.max_value if metric.max_value is not None else low + 100
    value = low + (high - low) * Decimal(i % 10 + 1) / 20
    reading_create(metric=metric, department=department, date=timezone.localdate(), value=value)
    return timezone.now()


def _fresh(department, since) -> bool:
    from django.utils import timezone

    from accountability.models import Scorecard
    from org.models import RecomputeRequest

    computed = (
        Scorecard.objects.filter(
            scope="department",
            department=department,
            period_kind="month",
            period_start=timezone.localdate().replace(day=1),
        )
        .values_list("computed_at", flat=True)
        .first()
    )
    return bool(computed and computed >= since and not RecomputeRequest.objects.exists())


def _wait_fresh(department, since, started: float) -> float:
    deadline = started + 120
    while not _fresh(department, since):
        if time.perf_counter() > deadline:
            sys.exit("no fresh snapshot within 120 s: is the worker running?")
        time.sleep(POLL_S)
    return time.perf_counter() - started


def _edit_and_wait(department, metric, i: int) -> float:
    started = time.perf_counter()
    since = _save(department, metric, i)
    return _wait_fresh(department, since, started)


def _burst(department, metric, edits: int) -> list[float]:
    """An edit every 0.25 s; each one's wait ends at the first fresh snapshot computed after it."""
    pending: list[tuple[float, object]] = []
    waits: list[float] = []
    for i in range(edits):
        pending.append((time.perf_counter(), _save(department, metric, i)))
        time.sleep(0.25)
        waits += _settled(department, pending)
    while pending:
        waits += _settled(department, pending)
        time.sleep(POLL_S)
    return waits


def _settled(department, pending: list) -> list[float]:
    from django.utils import timezone

    from accountability.models import Scorecard

    computed = (
        Scorecard.objects.filter(
            scope="department",
            department=department,
            period_kind="month",
            period_start=timezone.localdate().replace(day=1),
        )
        .values_list("computed_at", flat=True)
        .first()
    )
    now, done = time.perf_counter(), [p for p in pending if computed and computed >= p[1]]
    for item in done:
        pending.remove(item)
    return [now - started for started, _ in done]


def _settle() -> None:
    """Recompute here what the data build left stale, so the first edit starts from a quiet state."""
    from accountability.scorecards.sweeps import recompute_requests_process

    while recompute_requests_process():
        pass


def _recompute_seconds(department) -> float:
    """The baseline: what the sweep computes for one edit (department and company, month and quarter)."""
    from django.utils import timezone

    from accountability.scorecards.services import scorecard_compute
    from core.periods import current_periods

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for period in current_periods(now=timezone.now()):
            scorecard_compute(period=period, scope="department", department=department)
            scorecard_compute(period=period, scope="company")
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="--scale 1, 5 edits per pattern")
    parser.add_argument("--scale", default="1,5,20", help="comma-separated demo_data scales (default 1,5,20)")
    parser.add_argument("--edits", type=int, default=8, help="edits per pattern (default 8)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.edits)
        return
    import subprocess

    scales = [1] if args.quick else [int(s) for s in args.scale.split(",")]
    edits = 5 if args.quick else args.edits
    results = {}
    for scale in scales:
        command = [sys.executable, __file__, "--child", str(scale), "--edits", str(edits)]
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        sys.stderr.write(output.stderr[-3000:] if output.returncode else "")
        if output.returncode:
            sys.exit(f"scale {scale}: the benchmark failed (exit {output.returncode})")
        for line in output.stdout.splitlines():
            if line.startswith("RESULT "):
                quiet, quiet_max, burst, burst_max, baseline = map(float, line.split()[2:])
                results[scale] = (quiet, burst, baseline)
                print(
                    f"--scale {scale}: after a quiet spell median {quiet:.2f} s (max {quiet_max:.2f}); "
                    f"in a burst median {burst:.2f} s (max {burst_max:.2f}); "
                    f"the recompute itself {baseline:.2f} s; ratio {quiet / baseline:.1f}",
                    flush=True,
                )
            else:
                print(line, flush=True)
    print(
        "scaling (median s after a quiet spell / in a burst / recompute): "
        + ", ".join(f"{s}x {q:.2f} / {b:.2f} / {r:.2f}" for s, (q, b, r) in results.items())
    )
    quiet, burst, baseline = results[scales[-1]]
    print(f"median_s {quiet:.2f} burst_median_s {burst:.2f} recompute_s {baseline:.2f} ratio {quiet / baseline:.1f}")


if __name__ == "__main__":
    main()
