"""Time the executive review pages and the task changelist on demo_data --scale N, rendered by Django's test client.

    .venv/bin/python bench/admin_pages.py                 # demo_data --scale 1, 5, 20; median of 10
    .venv/bin/python bench/admin_pages.py --quick         # --scale 1, median of 5
    .venv/bin/python bench/admin_pages.py --scale 100 --runs 5

Each scale's data is `manage.py demo_data --scale N`, built once and reused, in
bench/data/admin_pages-<N>.sqlite3 unless BENCH_DATABASE_URL names another database with
{scale} in it (e.g. postgres://postgres@127.0.0.1:5432/cco_pages_{scale}). Initiatives (one
per 15 tasks), departments and ownerless tasks (one in twenty) grow with N. As the demo
executive it renders the dashboard, the roadmap grid, the drill-down of the department with
the most tasks, the timeline of the initiative with the most tasks, the task changelist and
the tasks CSV export. It prints each page's median time, query count and size. The baseline,
measured in the same run, is the admin's own index page (the same session, middleware and
admin site, no data): each page's ratio to it shows what the page itself costs. A scaling line
follows for every page. The last line reads `max_median_ms <n>` (the slower of the dashboard
and the grid, at the largest scale).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(scale: int) -> None:
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    default = f"sqlite:///{ROOT / 'bench' / 'data'}/admin_pages-{{scale}}.sqlite3"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default).format(scale=scale)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings_test")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as in production (and as Django's test runner does)
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Keep one connection across requests (as CONN_MAX_AGE does), so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def build(scale: int) -> str:
    from django.core.management import call_command

    from roadmap.models import Task

    if Task.objects.exists():
        return "reused"
    began = time.perf_counter()
    call_command("demo_data", scale=scale, no_progress=True, verbosity=0, stdout=io.StringIO())
    return f"built in {time.perf_counter() - began:.0f} s"


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        assert response.status_code == 200, url
    count = len(queries)  # now: later requests reset the connection's query log
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    return statistics.median(timings), count, size


def pages() -> dict[str, str]:
    from django.db.models import Count
    from django.urls import reverse

    from org.models import Department
    from roadmap.models import Initiative

    busiest = Department.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    biggest = Initiative.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    return {
        "admin index (baseline)": reverse("admin:index"),
        "dashboard": reverse("admin:review_dashboard"),
        "roadmap grid": reverse("admin:review_roadmap"),
        "department": reverse("admin:review_department", args=[busiest.slug]),
        "timeline": reverse("admin:review_timeline", args=[biggest.pk]),
        "task changelist": reverse("admin:roadmap_task_changelist"),
        "tasks CSV": reverse("admin:review_tasks_export", args=["csv"]),
    }


def child(scale: int, runs: int) -> None:
    setup(scale)
    how = build(scale)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from org.models import Department
    from roadmap.models import Initiative, Task

    tasks = Task.objects.count()
    print(
        f"--scale {scale}: {Department.objects.count()} departments, {Initiative.objects.count()} initiatives, "
        f"{tasks} tasks ({Task.objects.filter(owner=None).count()} without an owner); {how}",
        flush=True,
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="exec"))
    baseline = None
    for name, url in pages().items():
        median, queries, size = measure(client, url, runs)
        baseline = baseline or median
        print(
            f"  {name:>22}: median {median:7.1f} ms ({median / baseline:5.1f}x the index) over {runs} runs, "
            f"{queries:3d} queries, {size / 1024:7.0f} KB"
        )
        print(f"RESULT {name}|{median:.1f}|{queries}|{size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="--scale 1, median of 5")
    parser.add_argument("--scale", default="1,5,20", help="comma-separated demo_data scales (default 1,5,20)")
    parser.add_argument("--runs", type=int, default=10, help="runs per page; the median counts")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return
    scales = [1] if args.quick else [int(s) for s in args.scale.split(",")]
    runs = 5 if args.quick else args.runs
    results: dict[str, dict[int, tuple[float, int, int]]] = {}
    for scale in scales:
        command = [sys.executable, __file__, "--child", str(scale), "--runs", str(runs)]
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if output.returncode:
            sys.stderr.write(output.stderr[-5000:])
            sys.exit(f"--scale {scale}: the benchmark failed (exit {output.returncode})")
        for line in output.stdout.splitlines():
            if line.startswith("RESULT "):
                name, median, queries, size = line[7:].split("|")
                results.setdefault(name, {})[scale] = (float(median), int(queries), int(size))
            else:
                print(line, flush=True)
    print("scaling (median ms, queries, KB):")
    for name, by_scale in results.items():
        print(
            f"  {name:>22}: "
            + ", ".join(f"{s}x {m:.0f} ms {q} q {z / 1024:.0f} KB" for s, (m, q, z) in by_scale.items())
        )
    top = scales[-1]
    print(f"max_median_ms {max(results[name][top][0] for name in ('dashboard', 'roadmap grid')):.0f}")


if __name__ == "__main__":
    main()
