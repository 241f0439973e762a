"""Benchmark: a full scorecard recompute of one quarter against hand-written SQL.

    .venv/bin/python bench/scorecards.py [--scale 1,5,20] [--quick] [--databases sqlite,postgres] [--repeat N]

For each database and scale it builds the data set once and then reuses it (SQLite:
bench/data/scorecards-<N>.sqlite3; PostgreSQL: the database cco_bench_<N> at
postgres://postgres@127.0.0.1:5432/, or BENCH_POSTGRES_URL). `--scale N` is demo_data's: N
thousand tasks, 25,000·N readings, 5,000·N movements, 2.5·N departments (6 to 50). It times
`scorecards_compute_period` for 2026-Q2 (the company, every department, every owner with
tasks due: it reads, computes and writes the snapshots and their lines) against plain SQL
that does the same reading and writing: the same aggregates as 7 hand-written statements
(one per part and scope), then the same snapshot and line rows written again (delete, then
multi-row insert; COPY on PostgreSQL, as the engine uses). Best of N runs each. Each database
and scale runs in its own process (Django settings are per process). `--quick` is --scale 1.
The last line is `ratio <engine/SQL reading and writing, the worse database at the largest scale>`.
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


def database_url(name: str, scale: int) -> str:
    if name == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DATA / f'scorecards-{scale}.sqlite3'}"
    if name == "postgres":
        return f"{POSTGRES}/cco_bench_{scale}"
    raise SystemExit(f"Unknown database {name!r}; use sqlite and/or postgres.")


def ensure_postgres_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def parent(args: argparse.Namespace) -> None:
    scales = [1] if args.quick else [int(s) for s in args.scale.split(",")]
    ratios: dict[int, dict[str, float]] = {}
    for scale in scales:
        for name in (n.strip() for n in args.databases.split(",")):
            url = database_url(name, scale)
            if name == "postgres":
                ensure_postgres_database(url)
            env = {**os.environ, "DATABASE_URL": url, "BENCH_DATABASE": name}
            command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat), "--scale", str(scale)]
            result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
            sys.stderr.write(result.stderr)
            if result.returncode:
                raise SystemExit(f"{name} at {scale}x: the benchmark failed (exit {result.returncode})")
            for line in result.stdout.splitlines():
                if line.startswith("RATIO "):
                    ratios.setdefault(scale, {})[name] = float(line.split()[2])
                else:
                    print(line, flush=True)
    print(
        "scaling (engine / SQL reading and writing): "
        + ", ".join(f"{s}x " + " ".join(f"{n} {r:.2f}" for n, r in by.items()) for s, by in ratios.items())
    )
    print(f"ratio {max(ratios[scales[-1]].values()):.2f}")


def child(args: argparse.Namespace) -> None:
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench_runner import run

    run(database=os.environ["BENCH_DATABASE"], scale=int(args.scale), repeat=args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="--scale 1 only")
    parser.add_argument("--scale", default="1,5,20", help="comma-separated demo_data scales (default 1,5,20)")
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
