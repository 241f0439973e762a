"""SQLite: the online backup API copies the file page by page in one step, inside one read
transaction, so the copy is a consistent snapshot while web and worker go on writing (WAL
lets them). The copy is fingerprinted, not the live file, so the manifest matches the copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from core.backups.errors import BackupError
from core.backups.fingerprint import TableFingerprint, fetch_in_chunks, fingerprints, quoted


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _order(db: sqlite3.Connection, table: str) -> str:
    keys = [row[1] for row in sorted(db.execute(f"PRAGMA table_info({quoted(table)})"), key=lambda r: r[5]) if row[5]]
    return ", ".join(quoted(k) for k in keys) if keys else "rowid"


def file_fingerprints(path: Path, progress: Callable[[str], None] | None = None) -> dict[str, TableFingerprint]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def read(table: str):
            return fetch_in_chunks(db.execute(f"SELECT * FROM {quoted(table)} ORDER BY {_order(db, table)}"))  # noqa: S608 - names from sqlite_master

        return fingerprints(_tables(db), read, progress)
    finally:
        db.close()


def backup(*, database: Path, destination: Path) -> None:
    if not database.exists():
        raise BackupError(f"The database file {database.name} does not exist: there is nothing to back up.")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
        # The copy carries the source's WAL flag; a backup is one self-contained file.
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}.") from error
    finally:
        target.close()
        source.close()


def is_empty(database: Path) -> bool:
    if not database.exists():
        return True
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return not _tables(db)
    finally:
        db.close()


def restore(*, source: Path, database: Path) -> None:
    try:
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        _tables(backup_file)  # fails early on a file that is not an SQLite database
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source.name} is not an SQLite backup ({error}).") from error
    database.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(database)
    try:
        backup_file.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        backup_file.close()
