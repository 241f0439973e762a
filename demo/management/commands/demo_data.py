"""manage.py demo_data: build a believable demo organisation (see demo/build.py)."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accountability.scorecards.services import scorecards_backfill, scorecards_backfill_plan
from core.db_statistics import database_statistics_refresh
from demo.build import COMPANY_READINGS, DEFAULT_SEED, Sizes, demo_build
from demo.people import DEMO_PASSWORD

MIN_DEPARTMENTS = 6
MAX_DEPARTMENTS = 500
POSITIVE = "--{option} must be a positive whole number, not {value}."
TOO_FEW_DEPARTMENTS = "--departments must be at least 6 (sales, service, marketing, billing, product, operations)."
TOO_MANY_DEPARTMENTS = "--departments must be at most 500."
TOO_FEW_READINGS = "--readings must be at least {minimum} (24 months of the company metrics)."


class Command(BaseCommand):
    help = (
        "Build a demo organisation: departments and people in every role, two roadmaps, initiatives, "
        "tasks with hand-offs and check-ins, 24 months of metric readings and customer movements. "
        "Running it again adds nothing that exists. Generated rows are written in bulk batches; "
        "--scale or the size options build large data sets for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, help="N thousand tasks with the rest in proportion (20: the benchmark set)."
        )
        parser.add_argument("--departments", type=int, help="number of departments (default 6, at least 6)")
        parser.add_argument("--tasks", type=int, help="number of tasks (default 300)")
        parser.add_argument("--readings", type=int, help="number of metric readings (default: one a month per series)")
        parser.add_argument("--movements", type=int, help="number of customer movement lines (default 400)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="do not compute the scorecards of past periods now (manage.py backfill_scorecards does it later)",
        )

    def handle(self, *args, **options) -> None:
        sizes, bulk = self._sizes(options)
        stream = getattr(self.stderr, "_out", sys.stderr)

        def progress(total: int, description: str) -> tqdm:
            quiet = options["no_progress"]
            return tqdm(total=total or None, desc=description, unit=" rows", file=stream, disable=quiet)

        started = time.monotonic()
        result = demo_build(sizes=sizes, bulk=bulk, seed=options["seed"], progress=progress)
        if not options["no_history"]:
            # Trend, change and compare need past snapshots from the first day.
            plan = scorecards_backfill_plan()
            with progress(len(plan), "scorecards of past periods") as bar:
                result.created["scorecards"] = scorecards_backfill(periods=plan, progress=lambda _: bar.update())
        # Thousands of rows just written: the planner's statistics, or SQLite picks poor indexes (core.db_statistics).
        database_statistics_refresh()
        elapsed = time.monotonic() - started
        for name, count in result.created.items():
            self.stdout.write(f"{name}: {count:,}")
        for what in result.skipped:
            self.stdout.write(f"skipped, already present: {what}")
        if result.skipped and bulk:
            self.stdout.write("To rebuild at another size, start from an empty database (manage.py flush).")
        self.stdout.write(f"Demo data ready in {elapsed:.1f}s. Log in at /admin/ as:")
        for role, username in result.people.printed():
            self.stdout.write(f"  {role:<28} user {username:<8} password {DEMO_PASSWORD}")
        self.stdout.write(f"Every other demo user (department heads and members) has the password {DEMO_PASSWORD}.")

    def _sizes(self, options: dict) -> tuple[Sizes, bool]:
        """The sizes asked for; with any size option, initiatives are bulk-written too."""
        names = ("scale", "departments", "tasks", "readings", "movements")
        for name in names:
            if options[name] is not None and options[name] < 1:
                raise CommandError(POSITIVE.format(option=name, value=options[name]))
        sizes = Sizes.scaled(options["scale"]) if options["scale"] else Sizes()
        given = {n: options[n] for n in names[1:] if options[n] is not None}
        sizes = Sizes(**{**sizes.__dict__, **given})
        if sizes.departments < MIN_DEPARTMENTS:
            raise CommandError(TOO_FEW_DEPARTMENTS)
        if sizes.departments > MAX_DEPARTMENTS:
            raise CommandError(TOO_MANY_DEPARTMENTS)
        if sizes.readings is not None and sizes.readings < COMPANY_READINGS:
            raise CommandError(TOO_FEW_READINGS.format(minimum=COMPANY_READINGS))
        return sizes, bool(options["scale"] or given)
