"""`manage.py backfill_scorecards`: compute the scorecards of every past month and quarter, with a progress bar."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from accountability.scorecards.services import (
    ScorecardError,
    period_from_text,
    scorecards_backfill,
    scorecards_backfill_plan,
)


class Command(BaseCommand):
    help = (
        "Compute the scorecards (company, every department, every owner) of every month and quarter "
        "from --from to --to, oldest first. Without them: from the first task due date, reading or "
        "customer movement to the current month and quarter. Closed periods stay as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="first", metavar="PERIOD", help="First period: 2025-01 or 2025-Q1.")
        parser.add_argument("--to", dest="last", metavar="PERIOD", help="Last period: 2026-06 or 2026-Q2.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, first: str | None, last: str | None, no_progress: bool, **options) -> None:
        try:
            plan = scorecards_backfill_plan(
                first=period_from_text(first) if first else None, last=period_from_text(last) if last else None
            )
        except ScorecardError as error:
            raise CommandError(str(error)) from error
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(total=len(plan), desc="Scorecards", unit=" periods", file=stream, disable=no_progress) as bar:

            def advance(period) -> None:
                bar.set_postfix_str(period.label)
                bar.update()

            written = scorecards_backfill(periods=plan, progress=advance)
        span = f"{plan[0].label} to {plan[-1].label}" if plan else "no period"
        self.stdout.write(self.style.SUCCESS(f"Computed {written:,} scorecard(s) of {len(plan)} period(s), {span}."))
