"""Per table, the number of rows and a checksum of their values, read in primary-key order.

A backup's manifest holds these for the snapshot it copied; a restore computes them again on
the restored database and refuses to call it done when any differs. Both sides are read by the
same database driver, so the same rows give the same text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

CHUNK = 2_000


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str

    def as_json(self) -> dict:
        return {"rows": self.rows, "sha256": self.sha256}


def fingerprint_rows(rows: Iterable[tuple]) -> TableFingerprint:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        digest.update(b"\n")
        count += 1
    return TableFingerprint(rows=count, sha256=digest.hexdigest())


def fetch_in_chunks(cursor) -> Iterable[tuple]:
    while chunk := cursor.fetchmany(CHUNK):
        yield from chunk


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fingerprints(
    tables: list[str], read: Callable[[str], Iterable[tuple]], progress: Callable[[str], None] | None = None
) -> dict[str, TableFingerprint]:
    result = {}
    for table in sorted(tables):
        result[table] = fingerprint_rows(read(table))
        if progress:
            progress(table)
    return result
