"""Time every review page and changelist an executive opens on demo_data --scale N, with Django's test client.

    .venv/bin/python bench/admin_pages.py                 # demo_data --scale 1, 5, 20; median of 10
    .venv/bin/python bench/admin_pages.py --quick         # --scale 1, median of 5
    .venv/bin/python bench/admin_pages.py --scale 100 --runs 5

Each scale's data is `manage.py demo_data --scale N`, built once and reused, in
bench/data/admin_pages-<N>.sqlite3 unless BENCH_DATABASE_URL names another database with
{scale} in it (e.g. postgres://postgres@127.0.0.1:5432/cco_pages_{scale}). Initiatives (one
per 15 tasks), departments and ownerless tasks (one in twenty) grow with N. As the demo
executive it renders every review page, each on its most demanding object (the department with
the most tasks, the initiative with the most tasks and the one over the most quarters, the
owner with the most tasks...), the changelist of every model the executive may view, and the
tasks CSV export. It prints each page's median time, query count and size. The baseline,
measured in the same run, is the admin's own index page (the same session, middleware and
admin site, no data): each page's ratio to it shows what the page itself costs. A scaling line
follows for every page, then the slowest and largest page. The last line reads
`max_median_ms <n>` (the slowest page, the index and the export aside, at the largest scale).
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


NOT_PAGES = ("admin index (baseline)", "tasks CSV")  # the baseline, and an export (not a page)
# The pages whose follow-through reads company snapshots: timed again with an edit waiting.
WAITING = ("dashboard", "meeting pack", "meeting pack (department)", "timeline (longest)")
GOAL_MS, GOAL_BYTES = 150, 300 * 1024  # issue 18: every review page and changelist at 100x the demo


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
        # demo_data gathers the planner's statistics; a file built before it did has none.
        from core.db_statistics import database_statistics_refresh

        began = time.perf_counter()
        database_statistics_refresh()
        return f"reused (planner statistics refreshed in {time.perf_counter() - began:.1f} s)"
    began = time.perf_counter()
    call_command("demo_data", scale=scale, no_progress=True, verbosity=0, stdout=io.StringIO())
    return f"built in {time.perf_counter() - began:.0f} s"


def settle() -> str:
    """Recompute what the build left stale, as the beat's sweep does within its minute: the pages are
    timed in the steady state. The follow-through pages are timed again with an edit waiting (see child)."""
    from accountability.scorecards.sweeps import recompute_requests_process
    from org.models import RecomputeRequest

    marks = RecomputeRequest.objects.count()
    began = time.perf_counter()
    while recompute_requests_process():
        pass
    return f"{marks} stale marks swept in {time.perf_counter() - began:.1f} s"


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


def _longest_initiative():
    """The initiative over the most quarters among those with metrics to move (the timeline's follow-through)."""
    from roadmap.models import Initiative

    spans = Initiative.objects.filter(expectations__isnull=False).values_list("pk", "start_date", "end_date").distinct()
    pk = max(spans, key=lambda row: ((row[2] - row[1]).days, -row[0]), default=(None,))[0]
    return Initiative.objects.filter(pk=pk).first() or Initiative.objects.order_by("pk").first()


def review_pages() -> dict[str, str]:
    """The review pages, each on its most demanding object: the largest department, the busiest owner..."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.urls import reverse

    from accountability.models import ScorecardLine
    from org.models import Department
    from roadmap.models import Initiative

    busiest = Department.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    biggest = Initiative.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    pledged = Initiative.objects.annotate(n=Count("pledges")).order_by("-n", "pk").first()
    owner = get_user_model().objects.annotate(n=Count("owned_tasks")).order_by("-n", "pk").first()
    line = (
        ScorecardLine.objects.filter(scorecard__department=busiest, scorecard__period_kind="quarter")
        .order_by("-scorecard__period_start", "position", "pk")
        .first()
    )
    return {
        "admin index (baseline)": reverse("admin:index"),
        "dashboard": reverse("admin:review_dashboard"),
        "roadmap grid": reverse("admin:review_roadmap"),
        "department": reverse("admin:review_department", args=[busiest.slug]),
        "compare": reverse("admin:review_compare"),
        "line": reverse("admin:review_line", args=[line.pk]),
        "timeline": reverse("admin:review_timeline", args=[biggest.pk]),
        "timeline (longest)": reverse("admin:review_timeline", args=[_longest_initiative().pk]),
        "task force": reverse("admin:review_participation", args=[pledged.pk]),
        "slips": reverse("admin:review_slips"),
        "slips (department)": reverse("admin:review_slips") + f"?department={busiest.slug}",
        "budget": reverse("admin:review_budget"),
        "meeting pack": reverse("admin:review_meeting_pack"),
        "meeting pack (department)": reverse("admin:review_meeting_pack_department", args=[busiest.slug]),
        "owner report": reverse("admin:review_owner_report", args=[owner.pk]),
        "notifications": reverse("admin:review_notifications"),
        "calendar": reverse("admin:review_calendar"),
    }


def changelists(user) -> dict[str, str]:
    """The changelist of every model the user may view, as the admin site registers them."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/")
    request.user = user
    found = {}
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower):
        if model_admin.has_view_permission(request):
            meta = model._meta
            found[f"{meta.model_name} changelist"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return found


def pages(user) -> dict[str, str]:
    from django.urls import reverse

    return {**review_pages(), **changelists(user), "tasks CSV": reverse("admin:review_tasks_export", args=["csv"])}


def child(scale: int, runs: int) -> None:
    setup(scale)
    how = f"{build(scale)}; {settle()}"
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
    user = get_user_model().objects.get(username="exec")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    baseline = None
    for name, url in pages(user).items():
        if client.get(url).status_code == 302:  # a settings singleton's "changelist" opens its one row
            print(f"  {name:>28}: opens its one row, skipped")
            continue
        median, queries, size = measure(client, url, runs)
        baseline = baseline or median
        print(
            f"  {name:>28}: median {median:7.1f} ms ({median / baseline:5.1f}x the index) over {runs} runs, "
            f"{queries:3d} queries, {size / 1024:7.0f} KB"
        )
        print(f"RESULT {name}|{median:.1f}|{queries}|{size}")
    # Within the minute after an edit, until the sweep has run, follow-through computes the edited
    # quarters from the readings of the departments marked stale (the others from their snapshots).
    from org.stale import scorecard_request_recompute

    scorecard_request_recompute(department_ids=[Department.objects.order_by("pk").values_list("pk", flat=True)[0]])
    urls = review_pages()
    for page in WAITING:
        name = f"{page} (an edit waiting)"
        median, queries, size = measure(client, urls[page], runs)
        print(
            f"  {name:>40}: median {median:7.1f} ms ({median / baseline:5.1f}x the index) over {runs} runs, "
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
            f"  {name:>28}: "
            + ", ".join(f"{s}x {m:.0f} ms {q} q {z / 1024:.0f} KB" for s, (m, q, z) in by_scale.items())
        )
    top = scales[-1]
    timed = {name: by_scale[top] for name, by_scale in results.items() if name not in NOT_PAGES}
    slowest, largest = max(timed, key=lambda n: timed[n][0]), max(timed, key=lambda n: timed[n][2])
    print(
        f"at {top}x: slowest {slowest} {timed[slowest][0]:.0f} ms, "
        f"largest {largest} {timed[largest][2] / 1024:.0f} KB, "
        f"{sum(m >= GOAL_MS for m, _, _ in timed.values())} of {len(timed)} pages at {GOAL_MS} ms or more, "
        f"{sum(z >= GOAL_BYTES for _, _, z in timed.values())} at {GOAL_BYTES // 1024} KB or more"
    )
    print(f"max_median_ms {timed[slowest][0]:.0f}")


if __name__ == "__main__":
    main()
