"""Benchmark: a full scorecard recompute of one quarter against hand-written SQL.

    .venv/bin/python bench/scorecards.py [--quick] [--databases sqlite,postgres] [--repeat N]

For each database it builds the data set once and then reuses it (SQLite: bench/data/;
PostgreSQL: the database cco_bench, or cco_bench_quick with --quick, at
postgres://postgres@127.0.0.1:5432/, or BENCH_POSTGRES_URL), then times
`scorecards_compute_period` for 2026-Q2 (the company, every department, every owner with
tasks due) and the same aggregates as 7 hand-written SQL statements (one per part and
scope), best of N runs each. Each database runs in its own process (Django settings are per
process). The last line is `ratio <engine/SQL, the worse of the databases>`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def database_url(name: str, quick: bool) -> str:
    suffix = "_quick" if quick else ""
    if name == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DATA / f'scorecards{suffix}.sqlite3'}"
    if name == "postgres":
        return f"{POSTGRES}/cco_bench{suffix}"
    raise SystemExit(f"Unknown database {name!r}; use sqlite and/or postgres.")


def ensure_postgres_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def parent(args: argparse.Namespace) -> None:
    ratios = []
    for name in args.databases.split(","):
        url = database_url(name.strip(), args.quick)
        if name.strip() == "postgres":
            ensure_postgres_database(url)
        env = {**os.environ, "DATABASE_URL": url, "BENCH_DATABASE": name.strip()}
        command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)] + (
            ["--quick"] if args.quick else []
        )
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        sys.stderr.write(result.stderr)
        if result.returncode:
            raise SystemExit(f"{name}: the benchmark failed (exit {result.returncode})")
        for line in result.stdout.splitlines():
            if line.startswith("RATIO "):
                ratios.append(float(line.split()[1]))
            else:
                print(line, flush=True)
    print(f"ratio {max(ratios):.2f}")


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench_runner import run

    run(database=os.environ["BENCH_DATABASE"], quick=args.quick, repeat=args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data; under a minute")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best one counts")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.child:
        child(args)
        return
    parent(args)
    print(f"total {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
