"""One database's benchmark run (inside a process whose Django is set up for it)."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scorecards_data import build, data_present, size_at
from scorecards_sql import snapshot_rows, sql_queries, sql_run, sql_write

from accountability.models import Scorecard
from accountability.scorecards.services import scorecards_compute_period
from core.periods import Period

PERIOD = Period.parse("2026-Q2")


def _prepare(database: str, size: dict) -> str:
    call_command("migrate", verbosity=0)
    if data_present(size):
        return "reused"
    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    build(size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return f"built in {time.perf_counter() - started:.1f} s"


def _best(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(*, database: str, scale: int, repeat: int) -> None:
    size = size_at(scale)
    how = _prepare(database, size)
    now = dt.datetime(2026, 5, 15, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))
    label = f"{database:<8} {scale:>3}x"
    print(
        f"{label} data: {size['departments']} departments, {size['owners']} owners, {size['tasks']} tasks, "
        f"{size['readings']} readings, {size['movements']} movements ({how})"
    )
    with CaptureQueriesContext(connection) as engine_queries:
        scorecards_compute_period(period=PERIOD, now=now)  # also warms the caches
    engine_time, written = _best(repeat, lambda: scorecards_compute_period(period=PERIOD, now=now))
    subjects = Scorecard.objects.filter(period_start=PERIOD.start).values_list("scope", flat=True)
    owners = sum(1 for scope in subjects if scope == "owner")
    print(
        f"{label} engine: {written} snapshots of {PERIOD} (company, {size['departments']} departments, "
        f"{owners} owners) in {engine_time * 1000:.0f} ms, {len(engine_queries)} queries"
    )
    queries = sql_queries(start=PERIOD.start, end=PERIOD.end, now=now)
    rows = snapshot_rows(period_kind=PERIOD.kind, period_start=PERIOD.start)
    sql_run(queries)
    read_time, read_rows = _best(repeat, lambda: sql_run(queries))
    both_time, written_rows = _best(repeat, lambda: (sql_run(queries), sql_write(rows))[1])
    print(
        f"{label} SQL:    {len(queries)} hand-written reads ({read_rows} rows) in {read_time * 1000:.0f} ms; "
        f"reads and writes of the same {written_rows} snapshot and line rows in {both_time * 1000:.0f} ms"
    )
    ratio = engine_time / both_time
    print(
        f"{label} engine / SQL reading and writing the same rows {ratio:.2f}; "
        f"engine / SQL reads only {engine_time / read_time:.2f} (best of {repeat})"
    )
    print(f"RATIO {scale} {ratio:.4f}")
