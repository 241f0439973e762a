"""`manage.py restore_database FILE`: restore a backup into the configured, empty database."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.backups.errors import BackupError
from core.backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore FILE (written by backup_database) into the database of DATABASE_URL, which must "
        "be empty, then compare every table's row count and checksum with FILE.json. Stop web, "
        "worker and beat first; start them once it reports success."
    )
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, file: Path, no_progress: bool, **options) -> None:
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(desc="Checking", unit=" tables", file=stream, disable=no_progress) as bar:
            try:
                report = backup_restore(source=file, progress=lambda table: bar.update())
            except BackupError as error:
                raise CommandError(str(error)) from error
        if report.manifest is None:
            self.stderr.write(
                self.style.WARNING(f"No manifest ({file.name}.json) beside the backup: the restore was not checked.")
            )
            checked = ""
        else:
            checked = f"; every table matches the manifest taken at {report.manifest.taken_at}"
        self.stdout.write(
            self.style.SUCCESS(f"Restored {len(report.restored)} tables, {report.rows:,} rows from {file}{checked}.")
        )
