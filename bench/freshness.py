"""Benchmark: how long after an edit its author sees the fresh scorecards, through a real worker.

    .venv/bin/python bench/freshness.py                # demo_data --scale 1, 5 and 20; 8 edits per pattern
    .venv/bin/python bench/freshness.py --quick        # --scale 1 only, 5 edits per pattern
    .venv/bin/python bench/freshness.py --scale 5 --edits 20

For each scale it builds `demo_data --scale N` once (bench/data/, or BENCH_DATABASE_URL with
{scale} in it) and starts its own redis-server and one Celery worker with the production
settings (SCORECARD_RECOMPUTE_DELAY as configured, 2 s by default). Each edit is a reading
saved through the service, as the admin and the API save it. Its wait ends when the edited
department's current month and quarter were computed after the commit and its stale mark is
gone (what the editor sees); and again when nothing is stale, the company's month and quarter
included (what everyone sees).

Two patterns: edits after a quiet spell (DELAY + 1 s apart: a person edits, then looks), and
a burst (an edit every 0.25 s; each wait ends at the first department month computed after
it). The baseline, measured in the same run, is the recompute itself, in this process: the
department's month and quarter, and the company's.
Last line: `median_s <department, quiet> all_median_s <everything, quiet> burst_median_s <burst>
recompute_s <department + company> ratio <everything, quiet / recompute>` at the largest scale.
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
        own, company = _recompute_seconds(department)
        quiet = []
        try:
            for i in range(edits):
                time.sleep(settings.SCORECARD_RECOMPUTE_DELAY + 1)  # a quiet spell: the last sweep is long done
                quiet.append(_edit_and_wait(department, metric, i))
            burst = _burst(department, metric, edits)
        except TimeoutError:
            _explain(processes)
    finally:
        processes.stop()
    mine, everything, pickups = zip(*quiet, strict=True)
    figures = [
        *(f(mine) for f in (statistics.median, max)),
        *(f(everything) for f in (statistics.median, max)),
        statistics.median(pickups),
        *(f(burst) for f in (statistics.median, max)),
        own,
        company,
    ]
    print(f"RESULT {scale} " + " ".join(f"{x:.3f}" for x in figures))


def _subject():
    from customers.models import Metric
    from org.models import Department

    department = Department.objects.order_by("pk").first()
    metric = Metric.objects.filter(level="department").order_by("pk").first() or Metric.objects.first()
    return department, metric


def _save(department, metric, i: int):
    """Save a reading within the metric's range through the service; returns a moment just before its commit.

    A snapshot computed after that moment was computed after the commit (unless a sweep started
    in between, within a millisecond). A moment taken after the commit could come after the
    start of the very sweep that reads the edit, when this process waits for the CPU: that
    edit would then never look fresh.
    """
    from django.db import transaction
    from django.utils import timezone

    from customers.services import reading_create

    low = metric.min_value if metric.min_value is not None else Decimal(0)
    high = metric.max_value if metric.max_value is not None else low + 100
    value = low + (high - low) * Decimal(i % 10 + 1) / 20
    with transaction.atomic():  # the service's own transaction, with the moment taken inside it
        reading_create(metric=metric, department=department, date=timezone.localdate(), value=value)
        before_commit = timezone.now()
    return before_commit


def _computed_at(department, kind: str = "month"):
    """When the department's current month (or quarter) was computed."""
    from django.utils import timezone

    from accountability.models import Scorecard
    from core.periods import current_periods

    period = next(p for p in current_periods(now=timezone.now()) if p.kind == kind)
    return (
        Scorecard.objects.filter(
            scope="department", department=department, period_kind=period.kind, period_start=period.start
        )
        .values_list("computed_at", flat=True)
        .first()
    )


def _department_fresh(department, since) -> bool:
    from org.models import RecomputeRequest
    from org.stale import request_key

    month, quarter = _computed_at(department), _computed_at(department, "quarter")
    return bool(
        month
        and quarter
        and min(month, quarter) >= since
        and not RecomputeRequest.objects.filter(key=request_key(department.pk)).exists()
    )


def _edit_and_wait(department, metric, i: int) -> tuple[float, float, float]:
    """Seconds from the save's start until the department's scorecards are fresh, until nothing
    is stale (the company's too), and until the sweep started."""
    from org.models import RecomputeRequest, SweepClock

    started = time.perf_counter()
    since = _save(department, metric, i)
    committed = time.perf_counter()
    mine = None
    deadline = started + 120
    while True:
        if mine is None and _department_fresh(department, since):
            mine = time.perf_counter() - started
        # Nothing stale is left: the sweep that read this edit's requests has finished.
        if mine is not None and not RecomputeRequest.objects.exists():
            break
        if time.perf_counter() > deadline:
            raise TimeoutError
        time.sleep(POLL_S)
    everything = time.perf_counter() - started
    sweep_started = SweepClock.objects.values_list("started_at", flat=True).get()
    return mine, everything, (committed - started) + (sweep_started - since).total_seconds()


def _explain(processes) -> None:
    """What was left stale, and what the worker last said."""
    from org.models import RecomputeRequest, SweepClock

    print("no fresh snapshot within 120 s; stale marks left:", file=sys.stderr)
    for row in RecomputeRequest.objects.values("key", "requested_at", "enqueued_at"):
        print(f"  {row}", file=sys.stderr)
    started = SweepClock.objects.values_list("started_at", flat=True).first()
    print(f"  the sweep last started {started}", file=sys.stderr)
    log = processes.work / "worker-freshness.log"
    print("the worker's log ends:\n" + log.read_text()[-1500:], file=sys.stderr)
    sys.exit(1)  # the caller's `finally` stops the processes


def _burst(department, metric, edits: int) -> list[float]:
    """An edit every 0.25 s; each one's wait ends at the first fresh snapshot computed after it."""
    pending: list[tuple[float, object]] = []
    waits: list[float] = []
    for i in range(edits):
        pending.append((time.perf_counter(), _save(department, metric, i)))
        time.sleep(0.25)
        waits += _settled(department, pending)
    deadline = time.perf_counter() + 120
    while pending:
        waits += _settled(department, pending)
        if time.perf_counter() > deadline:
            raise TimeoutError
        time.sleep(POLL_S)
    return waits


def _settled(department, pending: list) -> list[float]:
    computed = _computed_at(department)
    now, done = time.perf_counter(), [p for p in pending if computed and computed >= p[1]]
    for item in done:
        pending.remove(item)
    return [now - started for started, _ in done]


def _settle() -> None:
    """Recompute here what the data build left stale, so the first edit starts from a quiet state."""
    from accountability.scorecards.sweeps import recompute_requests_process

    while recompute_requests_process():
        pass


def _recompute_seconds(department) -> tuple[float, float]:
    """The baseline, what the sweep computes for one edit, best of 3: the department's month and
    quarter, and the company's."""
    from django.utils import timezone

    from accountability.scorecards.services import scorecards_compute_subjects
    from core.periods import current_periods

    own = company = float("inf")
    for _ in range(3):
        periods = current_periods(now=timezone.now())
        started = time.perf_counter()
        for period in periods:
            scorecards_compute_subjects(period=period, company=False, department_ids=[department.pk])
        own, started = min(own, time.perf_counter() - started), time.perf_counter()
        for period in periods:
            scorecards_compute_subjects(period=period, company=True, department_ids=[])
        company = min(company, time.perf_counter() - started)
    return own, company


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
                mine, mine_max, everything, everything_max, pickup, burst, burst_max, own, company = map(
                    float, line.split()[2:]
                )
                results[scale] = (mine, everything, burst, own + company)
                print(
                    f"--scale {scale}: after a quiet spell, the department's scorecards fresh: median {mine:.2f} s "
                    f"(max {mine_max:.2f}), everything (the company's too): median {everything:.2f} s "
                    f"(max {everything_max:.2f}), the sweep started at {pickup:.2f} s; "
                    f"in a burst median {burst:.2f} s (max {burst_max:.2f}); "
                    f"the recompute itself: the department {own:.2f} s, the company {company:.2f} s; "
                    f"ratio {everything / (own + company):.1f}",
                    flush=True,
                )
            else:
                print(line, flush=True)
    print(
        "scaling (median s after a quiet spell, the department / everything / in a burst / recompute): "
        + ", ".join(f"{s}x {m:.2f} / {e:.2f} / {b:.2f} / {r:.2f}" for s, (m, e, b, r) in results.items())
    )
    mine, everything, burst, recompute = results[scales[-1]]
    print(
        f"median_s {mine:.2f} all_median_s {everything:.2f} burst_median_s {burst:.2f} "
        f"recompute_s {recompute:.2f} ratio {everything / recompute:.1f}"
    )


if __name__ == "__main__":
    main()
