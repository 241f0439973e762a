"""PostgreSQL: `pg_dump` in its custom format, restored with `pg_restore` in one transaction.

The dump and the manifest share one snapshot: a REPEATABLE READ transaction exports it,
`pg_dump --snapshot` copies it, and the checksums are read in that same transaction. So the
manifest describes exactly the rows in the dump, whatever web and worker write meanwhile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg

from core.backups.errors import BackupError
from core.backups.fingerprint import TableFingerprint, fetch_in_chunks, fingerprints, quoted

TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
PRIMARY_KEY = """
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
    WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum
"""


def _environment(settings: dict) -> dict[str, str]:
    """libpq's variables for the client programs, so that no password appears on a command line."""
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    env["PGDATABASE"] = settings["NAME"]
    return env


def _connect(settings: dict) -> psycopg.Connection:
    params = {k: v for k, v in settings.get("OPTIONS", {}).items() if isinstance(v, str | int)}
    try:
        return psycopg.connect(
            dbname=settings["NAME"],
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            **params,
        )
    except psycopg.Error as error:
        raise BackupError(f"Cannot connect to PostgreSQL database {settings['NAME']!r}: {error}".strip()) from error


def _read_one_snapshot(db: psycopg.Connection) -> None:
    db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    db.read_only = True
    db.execute("SET TIME ZONE 'UTC'")  # the first statement opens the transaction


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client programs at the server's major version "
            "or newer (Debian: apt-get install postgresql-client)."
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    finished = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own program, no shell
    if finished.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {finished.stderr.strip() or finished.returncode}")


def _fingerprints(db: psycopg.Connection, progress) -> dict[str, TableFingerprint]:
    tables = [name for (name,) in db.execute(TABLES)]

    def read(table: str):
        keys = [name for (name,) in db.execute(PRIMARY_KEY, [quoted(table)])]
        order = ", ".join(quoted(k) for k in keys) if keys else "1"
        cursor = db.cursor(name=f"fingerprint_{abs(hash(table))}")
        cursor.execute(f"SELECT * FROM {quoted(table)} ORDER BY {order}")  # noqa: S608 - names from pg_tables
        return fetch_in_chunks(cursor)

    return fingerprints(tables, read, progress)


def backup(
    *, settings: dict, destination: Path, progress: Callable[[str], None] | None = None
) -> dict[str, TableFingerprint]:
    pg_dump = _program("pg_dump")
    with _connect(settings) as db:
        _read_one_snapshot(db)
        (snapshot,) = db.execute("SELECT pg_export_snapshot()").fetchone()
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={destination}"], _environment(settings))
        manifest = _fingerprints(db, progress)
        db.rollback()
    return manifest


def is_empty(settings: dict) -> bool:
    with _connect(settings) as db:
        return not db.execute(TABLES).fetchall()


def restore(*, settings: dict, source: Path) -> None:
    pg_restore = _program("pg_restore")
    args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run([*args, f"--dbname={settings['NAME']}", str(source)], _environment(settings))


def fingerprints_of(settings: dict, progress: Callable[[str], None] | None = None) -> dict[str, TableFingerprint]:
    with _connect(settings) as db:
        _read_one_snapshot(db)
        manifest = _fingerprints(db, progress)
        db.rollback()
    return manifest
