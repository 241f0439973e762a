"""Take a backup with its manifest; restore one into an empty database and check it against the manifest.

A backup is two files: the copy (`NAME`) and its manifest (`NAME.json`): the engine, when it
was taken, and per table the row count and a SHA-256 of the rows. Both are written under a
temporary name and renamed once complete, so a backup that stopped half-way is never taken
for a good one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils import timezone

from core.backups import postgresql, sqlite
from core.backups.errors import BackupError
from core.backups.fingerprint import TableFingerprint

FORMAT = 1
Progress = Callable[[str], None] | None


@dataclass(frozen=True)
class Manifest:
    engine: str
    taken_at: str
    tables: dict[str, TableFingerprint]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())

    def as_json(self) -> dict:
        tables = {name: t.as_json() for name, t in sorted(self.tables.items())}
        return {"format": FORMAT, "engine": self.engine, "taken_at": self.taken_at, "tables": tables}


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest | None
    restored: dict[str, TableFingerprint]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.restored.values())


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def _engine(alias: str) -> tuple[str, dict]:
    settings = connections[alias].settings_dict
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor, settings


def backup_create(*, destination: Path, alias: str = "default", progress: Progress = None) -> Manifest:
    """Copy the database to `destination` (and its manifest beside it); refuses to overwrite a file."""
    vendor, settings = _engine(alias)
    for path in (destination, manifest_path(destination)):
        if path.exists():
            raise BackupError(f"{path} already exists; choose a new file name (nothing was written).")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist (nothing was written).")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    taken_at = timezone.now().isoformat(timespec="seconds")
    try:
        if vendor == "sqlite":
            sqlite.backup(database=Path(settings["NAME"]), destination=partial)
            tables = sqlite.file_fingerprints(partial, progress)
        else:
            tables = postgresql.backup(settings=settings, destination=partial, progress=progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    manifest = Manifest(engine=vendor, taken_at=taken_at, tables=tables)
    manifest_partial = partial.with_name(partial.name + ".json")
    manifest_partial.write_text(json.dumps(manifest.as_json(), indent=1) + "\n")
    partial.rename(destination)
    manifest_partial.rename(manifest_path(destination))
    return manifest


def manifest_read(backup: Path) -> Manifest | None:
    path = manifest_path(backup)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        tables = {name: TableFingerprint(rows=t["rows"], sha256=t["sha256"]) for name, t in data["tables"].items()}
        return Manifest(engine=data["engine"], taken_at=data["taken_at"], tables=tables)
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path.name} is not a backup manifest ({error}); nothing was restored.") from error


def backup_restore(*, source: Path, alias: str = "default", progress: Progress = None) -> RestoreReport:
    """Restore `source` into the configured database, which must be empty, then check the manifest."""
    vendor, settings = _engine(alias)
    if not source.is_file():
        raise BackupError(f"{source} is not a file; nothing was restored.")
    manifest = manifest_read(source)
    if manifest and manifest.engine != vendor:
        raise BackupError(
            f"{source.name} is a {manifest.engine} backup; the database is {vendor}. Nothing was restored."
        )
    connections[alias].close()  # the restore writes through its own connection
    if vendor == "sqlite":
        database = Path(settings["NAME"])
        if not sqlite.is_empty(database):
            raise BackupError(
                f"{database.name} is not empty: restore into a new, empty database. Nothing was restored."
            )
        sqlite.restore(source=source, database=database)
        restored = sqlite.file_fingerprints(database, progress)
    else:
        if not postgresql.is_empty(settings):
            raise BackupError(
                f"The database {settings['NAME']!r} is not empty: restore into a new, empty database "
                "(createdb NAME). Nothing was restored."
            )
        postgresql.restore(settings=settings, source=source)
        restored = postgresql.fingerprints_of(settings, progress)
    report = RestoreReport(manifest=manifest, restored=restored)
    if manifest:
        differ = sorted(
            name for name in manifest.tables.keys() | restored.keys() if manifest.tables.get(name) != restored.get(name)
        )
        if differ:
            raise BackupError(
                f"The restored database differs from the backup's manifest in {len(differ)} table(s): "
                f"{', '.join(differ[:10])}. Do not start the product on it; restore again from a good backup."
            )
    return report
