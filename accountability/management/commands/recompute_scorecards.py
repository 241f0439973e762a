"""`manage.py recompute_scorecards`: recompute a period's scorecards now, without a worker."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accountability.scorecards.services import ScorecardError, scorecards_recompute_command
from core.periods import Period, PeriodKind


class Command(BaseCommand):
    help = (
        "Recompute the scorecards of a period synchronously: the company, every department (or only "
        "--department) and every owner. Without --period: the current quarter. --close closes the period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="A quarter (2026-Q3) or a month (2026-07); default: the current quarter.")
        parser.add_argument("--department", metavar="SLUG", help="Only this department (and the company).")
        parser.add_argument("--close", action="store_true", help="Close the period after recomputing it.")

    def handle(self, *args, period: str | None, department: str | None, close: bool, **options) -> None:
        try:
            chosen = Period.parse(period) if period else Period.containing(timezone.localdate(), PeriodKind.QUARTER)
            count = scorecards_recompute_command(period=chosen, department_slug=department, close=close)
        except (ScorecardError, ValueError) as error:
            raise CommandError(str(error)) from error
        closed = " and closed the period" if close else ""
        self.stdout.write(self.style.SUCCESS(f"Recomputed {count} scorecard(s) of {chosen.label}{closed}."))
