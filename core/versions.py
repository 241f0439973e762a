"""Optimistic concurrency: an update names the version it read, and loses to a newer one."""

from __future__ import annotations

from typing import Any

STALE_VERSION = "This {kind} was changed by someone else since you read it (version {current}, yours {given})."


class StaleVersionError(Exception):
    """An update based on an old version of an object (optimistic concurrency)."""


def check_version(obj: Any, expected_version: int | None) -> None:
    """Raise StaleVersionError when `expected_version` is given and is not the object's version."""
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersionError(
            STALE_VERSION.format(kind=obj._meta.verbose_name, current=obj.version, given=expected_version)
        )
