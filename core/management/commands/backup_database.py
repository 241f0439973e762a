"""`manage.py backup_database FILE`: a consistent copy of the database, taken while the product runs."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.backups.errors import BackupError
from core.backups.services import backup_create, manifest_path


class Command(BaseCommand):
    help = (
        "Copy the database to FILE while web and worker keep writing: SQLite through its online "
        "backup, PostgreSQL through pg_dump (custom format). Writes FILE.json beside it: every "
        "table's row count and checksum, which restore_database checks."
    )
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file to write; it must not exist yet.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, file: Path, no_progress: bool, **options) -> None:
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(desc="Checksums", unit=" tables", file=stream, disable=no_progress) as bar:
            try:
                manifest = backup_create(destination=file, progress=lambda table: bar.update())
            except BackupError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest.tables)} tables, {manifest.rows:,} rows ({manifest.engine}, "
                f"taken at {manifest.taken_at}) to {file}; manifest {manifest_path(file).name}."
            )
        )
