"""The sent journal: which claimed messages the mail server has accepted, noted right after each send.

A delivery batch writes its outcomes to the database in one UPDATE at its end, so the
queries of a batch do not grow with its size. A worker killed before that UPDATE leaves its
messages in `sending`; the worker that claims them again after the lease asks the journal
which ones were already accepted and records them as sent instead of sending them twice.

The claim itself stays in the database (the unique constraint and the conditional UPDATE);
the journal only covers the seconds between a send and the batch's UPDATE. Its entries are
removed once that UPDATE has committed.

Three stores, chosen by REMINDERS_JOURNAL_URL:
- `database://` (the default): the message's own row, written in a short UPDATE of its own
  right after the send. It survives anything the database survives, a Redis restart included
  (docs/adr/0007-sent-journal-in-the-database.md), for one more write per message.
- Redis (`redis://…`): one key per message. Lost when a Redis without persistence restarts.
- A folder (`file:///…`): one file per message, for worker processes that share one disk.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Longer than any lease plus a long worker outage; a forgotten entry then expires by itself.
TTL_SECONDS = 14 * 24 * 3600
REDIS_PREFIX = "cco:reminders:sent:"


class JournalError(Exception):
    """The journal could not be written or read."""


class Journal(Protocol):
    def record(self, message_id: int, sent_at: dt.datetime) -> None: ...

    def sent(self, message_ids: Iterable[int]) -> dict[int, dt.datetime]: ...

    def forget(self, message_ids: Iterable[int]) -> None: ...


class DatabaseJournal:
    """The journal is the message row: delivery writes it at once (`writes_rows`), so nothing is
    ever left to look up or forget here."""

    writes_rows = True

    def record(self, message_id: int, sent_at: dt.datetime) -> None:
        raise JournalError("the database journal is written by delivery itself")

    def sent(self, message_ids: Iterable[int]) -> dict[int, dt.datetime]:
        return {}  # a message the server accepted is already `sent` in its row

    def forget(self, message_ids: Iterable[int]) -> None:
        return None


class RedisJournal:
    def __init__(self, url: str) -> None:
        import redis

        self._errors = (redis.RedisError, OSError)
        self._client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)

    def record(self, message_id: int, sent_at: dt.datetime) -> None:
        try:
            self._client.set(f"{REDIS_PREFIX}{message_id}", sent_at.isoformat(), ex=TTL_SECONDS)
        except self._errors as exc:
            raise JournalError(str(exc)) from exc

    def sent(self, message_ids: Iterable[int]) -> dict[int, dt.datetime]:
        ids = list(message_ids)
        if not ids:
            return {}
        try:
            values = self._client.mget([f"{REDIS_PREFIX}{pk}" for pk in ids])
        except self._errors as exc:
            raise JournalError(str(exc)) from exc
        return {pk: dt.datetime.fromisoformat(value.decode()) for pk, value in zip(ids, values, strict=True) if value}

    def forget(self, message_ids: Iterable[int]) -> None:
        keys = [f"{REDIS_PREFIX}{pk}" for pk in message_ids]
        if keys:
            try:
                self._client.delete(*keys)
            except self._errors as exc:
                raise JournalError(str(exc)) from exc


class FolderJournal:
    """One small file per accepted message; written by rename, so a reader never sees half a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def record(self, message_id: int, sent_at: dt.datetime) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.folder, prefix=".tmp-", delete=False) as handle:
                handle.write(sent_at.isoformat())
            os.replace(handle.name, self.folder / str(message_id))
        except OSError as exc:
            raise JournalError(str(exc)) from exc

    def sent(self, message_ids: Iterable[int]) -> dict[int, dt.datetime]:
        found = {}
        for pk in message_ids:
            try:
                found[pk] = dt.datetime.fromisoformat((self.folder / str(pk)).read_text())
            except FileNotFoundError:
                continue
            except (OSError, ValueError) as exc:
                raise JournalError(str(exc)) from exc
        return found

    def forget(self, message_ids: Iterable[int]) -> None:
        try:
            for pk in message_ids:
                (self.folder / str(pk)).unlink(missing_ok=True)
            self._expire(time.time() - TTL_SECONDS)
        except OSError as exc:
            raise JournalError(str(exc)) from exc

    def _expire(self, before: float) -> None:
        """Entries a batch could not clear (it lost its lease, or the folder refused) go after the TTL."""
        if not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.is_file() and entry.stat().st_mtime < before:
                Path(entry.path).unlink(missing_ok=True)


BAD_URL = "REMINDERS_JOURNAL_URL must be database://, redis://host:port/db or file:///absolute/folder (got {url!r})."
DATABASE_URL = "database://"


def url_problem(url: str) -> str | None:
    """Why the journal URL cannot work, or None (also run as a system check at start-up)."""
    parts = urlsplit(url)
    if (
        url == DATABASE_URL
        or parts.scheme in ("redis", "rediss")
        or (parts.scheme == "file" and parts.netloc in ("", "localhost") and parts.path.startswith("/"))
    ):
        return None
    return BAD_URL.format(url=url)


@cache
def _open(url: str) -> Journal:
    if problem := url_problem(url):
        raise ImproperlyConfigured(problem)
    if url == DATABASE_URL:
        return DatabaseJournal()
    parts = urlsplit(url)
    return FolderJournal(Path(parts.path)) if parts.scheme == "file" else RedisJournal(url)


def journal() -> Journal:
    """The journal named by REMINDERS_JOURNAL_URL (one client per process and URL)."""
    return _open(settings.REMINDERS_JOURNAL_URL)
