"""Where the task list API's time goes, phase by phase, beside the raw SQL + JSON yardstick.

    python bench/api_profile.py [--scale 1] [--requests 300] [--rounds 5] [--cprofile]

In one process, on bench/data.py's data (var/bench-api-<N>.sqlite3, or DATABASE_URL with
{scale} in it), in production settings (DEBUG=0), for the page bench/api.py loads
(`GET /api/v1/tasks/?department=<id>&page_size=100`), as CCO staff and as the department's head:

1. Times whole requests through Django's WSGI handler (no HTTP server), the API and the
   yardstick `/bench/raw-tasks/` in alternating rounds: the ratio raw/api per request.
2. Runs the same requests again with every phase timed inside them (each phase's own time,
   its sub-phases taken out, so the phases add up to the request): the WSGI handler and
   middleware, DRF's dispatch, the token lookup, the role and model permission checks, the
   visibility filter, the query-string filters (django-filter, ordering, search), the
   pagination's page query (and COUNT), the dependency ids, compiling SQL (as_sql), the database
   (execute and fetch through the cursor), row conversion (Django's converters), serializing
   the rows, the pagination links and rendering JSON; and the yardstick's database, view and
   json.dumps. The timers cost a little: the shares are of the timed request.

SQLite keeps dates and times as text. Django's SQLite backend has the driver parse them into
naive datetimes for every cursor, the yardstick's too (in "database"); both then write them in
the current time zone to the microsecond, as DRF does: the API in "serialize rows"
(core/rows.py, the zone's offset once an hour), the yardstick in "raw view" (astimezone and
isoformat per value). On PostgreSQL the driver hands both sides aware datetimes.

Times are this process's CPU time on SQLite (steadier on a busy machine), wall time on
PostgreSQL (whose work is in its own process). Each table ends with the sums of ours, the
framework's and the database's phases. The last line is `ratio <raw/api per request, the worse
role>`, comparable to bench/api.py's api/raw, though a little lower: without the HTTP server,
whose cost both sides share.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGE = 100

# Each phase, and whose code it is.
WHOSE = {
    "WSGI handler + middleware": "framework (Django) and our middleware",
    "DRF dispatch": "framework (DRF)",
    "auth: token lookup": "ours (org/api_keys.py) on the ORM",
    "roles + model permission": "ours (org/permissions.py) on the ORM",
    "visibility filter": "ours (roadmap/selectors.py) on the ORM",
    "query-string filters": "framework (django-filter, DRF filters)",
    "pagination: page (+ COUNT)": "framework (DRF, Paginator, ORM) and ours (core/api.py)",
    "dependency ids": "ours on the ORM",
    "SQL compile (as_sql)": "framework (ORM)",
    "database (execute, fetch)": "database + driver (on SQLite: parsing date and time text)",
    "database connect": "framework (Django: SQLite a connection per request, PostgreSQL a health check)",
    "row conversion": "framework (ORM converters; the task list skips them, core/rows.py)",
    "list view": "ours (roadmap/api/views.py)",
    "serialize rows": "ours (task_row_representation)",
    "pagination links": "framework (DRF)",
    "render JSON": "framework (DRF renderer)",
    "raw view": "yardstick",
    "raw json.dumps": "yardstick",
}


CLOCK = time.process_time  # main() chooses: CPU time on SQLite, wall time on PostgreSQL


class Phases:
    """Exclusive time per phase: a phase's own time, its sub-phases' time taken out."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []  # [name, start, children's time]
        self.enabled = False

    def enter(self, name: str) -> None:
        self.stack.append([name, CLOCK(), 0.0])

    def leave(self) -> None:
        name, start, children = self.stack.pop()
        spent = CLOCK() - start
        self.own[name] += spent - children
        if self.stack:
            self.stack[-1][2] += spent

    def wrap(self, name: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if not self.enabled:
                return fn(*args, **kwargs)
            self.enter(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def patch(self, owner: object, attribute: str, name: str) -> None:
        setattr(owner, attribute, self.wrap(name, getattr(owner, attribute)))


def instrument(phases: Phases) -> None:
    """Wrap the functions each phase runs (for this process only)."""
    from django.db.backends import utils as db_utils
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler
    from rest_framework import generics
    from rest_framework.renderers import JSONRenderer

    from core.api import CountedPageNumberPagination, FastJSONRenderer, PageNumberPagination
    from org.authentication import ApiKeyAuthentication
    from org.permissions import SignedIn
    from roadmap import selectors
    from roadmap.api import bench as yardstick
    from roadmap.api import views

    phases.patch(views.TaskViewSet, "dispatch", "DRF dispatch")
    phases.patch(views.TaskViewSet, "list", "list view")
    phases.patch(ApiKeyAuthentication, "authenticate", "auth: token lookup")
    phases.patch(SignedIn, "has_permission", "roles + model permission")
    phases.patch(selectors, "task_list", "visibility filter")
    phases.patch(generics.GenericAPIView, "filter_queryset", "query-string filters")
    phases.patch(PageNumberPagination, "paginate_queryset", "pagination: page (+ COUNT)")
    phases.patch(CountedPageNumberPagination, "paginate_queryset", "pagination: page (+ COUNT)")
    phases.patch(PageNumberPagination, "get_paginated_response", "pagination links")
    phases.patch(selectors, "task_dependency_ids", "dependency ids")
    phases.patch(views, "task_row_representation", "serialize rows")
    phases.patch(JSONRenderer, "render", "render JSON")
    phases.patch(FastJSONRenderer, "render", "render JSON")
    phases.patch(BaseDatabaseWrapper, "connect", "database connect")
    phases.patch(BaseDatabaseWrapper, "close_if_health_check_failed", "database connect")
    phases.patch(SQLCompiler, "as_sql", "SQL compile (as_sql)")
    phases.patch(db_utils.CursorWrapper, "execute", "database (execute, fetch)")
    for fetch in ("fetchone", "fetchmany", "fetchall"):
        method = functools.partialmethod(lambda self, *a, _name=fetch: getattr(self.cursor, _name)(*a))
        setattr(db_utils.CursorWrapper, fetch, method)
        phases.patch(db_utils.CursorWrapper, fetch, "database (execute, fetch)")

    def apply_converters(self, rows, converters):  # eager, so that fetching is not counted as converting
        rows = phases.wrap("database (execute, fetch)", list)(rows)
        phases.enter("row conversion")
        try:
            return iter(list(original_apply(self, rows, converters)))
        finally:
            phases.leave()

    original_apply = SQLCompiler.apply_converters
    SQLCompiler.apply_converters = apply_converters
    yardstick.json = SimpleNamespace(dumps=phases.wrap("raw json.dumps", json.dumps))
    phases.patch(yardstick, "raw_tasks", "raw view")


def environ(path: str, query: str, token: str) -> dict:
    from django.test.client import FakePayload

    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8301",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": FakePayload(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multiprocess": True,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
    }


def requester(handler: Callable, path: str, query: str, token: str, phases: Phases) -> Callable[[], bytes]:
    def call() -> bytes:
        statuses: list[str] = []
        if phases.enabled:
            phases.enter("WSGI handler + middleware")
        try:
            response = handler(environ(path, query, token), lambda status, headers: statuses.append(status))
            body = b"".join(response)
            response.close()
        finally:
            if phases.enabled:
                phases.leave()
        assert statuses[0].startswith("200"), statuses
        return body

    return call


def per_request(call: Callable[[], object], requests: int) -> float:
    start = CLOCK()
    for _ in range(requests):
        call()
    return (CLOCK() - start) / requests * 1e6


def count_queries(call: Callable[[], object]) -> int:
    from django.db import connection

    seen = []
    with connection.execute_wrapper(lambda execute, *args: seen.append(1) or execute(*args)):
        call()
    return len(seen)


def profile_role(role: str, token: str, department: int, phases: Phases, args: argparse.Namespace) -> float:
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    query = f"department={department}&page_size={PAGE}"
    api = requester(handler, "/api/v1/tasks/", query, token, phases)
    raw = requester(handler, "/bench/raw-tasks/", query, token, phases)
    for call in (api, raw):
        call()  # warm up: URL resolver, content types, the API's memory of the key
    queries = {"api": count_queries(api), "raw": count_queries(raw)}
    best = {"api": float("inf"), "raw": float("inf")}
    for _ in range(args.rounds):
        best["api"] = min(best["api"], per_request(api, args.requests))
        best["raw"] = min(best["raw"], per_request(raw, args.requests))
    print(f"\n{role}: per request through the WSGI handler (best of {args.rounds} rounds of {args.requests})")
    print(f"  API {best['api']:7.0f} µs, {queries['api']} queries; raw {best['raw']:7.0f} µs, {queries['raw']} queries")
    print(f"  raw/api {best['raw'] / best['api']:.2f}")
    report(api, raw, phases, args)
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [api() for _ in range(args.requests)])
        print(f"\n  cProfile of {args.requests} API requests as {role}, by own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    return best["raw"] / best["api"]


def report(api: Callable, raw: Callable, phases: Phases, args: argparse.Namespace) -> None:
    """The phases of the API's requests and of the yardstick's, each side timed on its own."""
    sides, n = {}, args.rounds * args.requests
    for name, call in (("api", api), ("raw", raw)):
        phases.own.clear()
        phases.enabled = True
        for _ in range(args.rounds):
            per_request(call, args.requests)
        phases.enabled = False
        sides[name] = {phase: seconds / n * 1e6 for phase, seconds in phases.own.items()}
    api_side, raw_side = sides["api"], sides["raw"]
    api_total, raw_total = sum(api_side.values()), sum(raw_side.values())
    print(f"  timed: API {api_total:7.0f} µs, raw {raw_total:7.0f} µs per request")
    print(f"  {'phase':28} {'api µs':>7} {'share':>6} {'raw µs':>7}  whose")
    # The yardstick's phases beside the API's that do the same work.
    beside = {
        "WSGI handler + middleware": "WSGI handler + middleware",
        "database (execute, fetch)": "database (execute, fetch)",
        "database connect": "database connect",
        "render JSON": "raw json.dumps",
        "list view": "raw view",
    }
    for phase in WHOSE:
        if phase.startswith("raw "):
            continue
        us = api_side.get(phase, 0.0)
        raw_us = raw_side.get(beside.get(phase, ""), None)
        raw_text = f"{raw_us:7.0f}" if raw_us is not None else " " * 7
        print(f"  {phase:28} {us:7.0f} {us / api_total:6.1%} {raw_text}  {WHOSE[phase]}")
    ours = sum(us for phase, us in api_side.items() if WHOSE[phase].startswith("ours"))
    framework = sum(us for phase, us in api_side.items() if WHOSE[phase].startswith("framework"))
    print(
        f"  ours {ours:.0f} µs ({ours / api_total:.0%}), framework {framework:.0f} µs ({framework / api_total:.0%}),"
        f" database {api_side.get('database (execute, fetch)', 0):.0f} µs; the yardstick's view (its SQL"
        f" strings, dicts, token check) beside 'list view', its json.dumps beside 'render JSON'"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--requests", type=int, default=300, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cprofile", action="store_true", help="add the costliest functions of the API request")
    args = parser.parse_args()
    from api import bench_env, prepare

    env = bench_env(args.scale)
    cco, head, department = prepare(env, args.scale)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cco.settings"
    import django

    django.setup()
    from django.db import connection

    global CLOCK
    # CPU time of this process is steadier on a busy machine, but PostgreSQL works in its own process.
    CLOCK = time.perf_counter if connection.vendor == "postgresql" else time.process_time
    phases = Phases()
    instrument(phases)
    clock = "wall time" if CLOCK is time.perf_counter else "CPU time of this process"
    print(f"database: {connection.vendor}, page of {PAGE}, department {department}, {clock}")
    roles = (("CCO staff", cco), ("head", head))
    ratios = [profile_role(role, token, department, phases, args) for role, token in roles]
    print(f"ratio {min(ratios):.2f}")


if __name__ == "__main__":
    main()
