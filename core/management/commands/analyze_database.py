"""`manage.py analyze_database`: refresh the query planner's statistics (core.db_statistics)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from core.db_statistics import database_statistics_refresh


class Command(BaseCommand):
    help = (
        "Run ANALYZE, so the database picks indexes from how the data is spread: after demo_data "
        "(which runs it itself), a bulk import or a restore, and on SQLite from time to time as the data grows."
    )

    def handle(self, *args, **options) -> None:
        began = time.monotonic()
        vendor = database_statistics_refresh()
        self.stdout.write(
            self.style.SUCCESS(f"Planner statistics refreshed ({vendor}) in {time.monotonic() - began:.1f}s.")
        )
