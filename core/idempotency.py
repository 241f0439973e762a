"""Idempotency keys: a batch retried with the same key and body is answered from the record."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core.models import IdempotencyKey
from core.types import UserLike

KEY_REUSED = "This Idempotency-Key was already used with a different body; use a new key for a new batch."


class IdempotencyKeyReused(Exception):
    """The same key came back with a different request body."""


def request_fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotency_replay(*, user: UserLike, endpoint: str, key: str, fingerprint: str) -> IdempotencyKey | None:
    """The recorded answer for this key, None if new; IdempotencyKeyReused if the body differs."""
    record = IdempotencyKey.objects.filter(user=user, endpoint=endpoint, key=key).first()
    if record is not None and record.request_hash != fingerprint:
        raise IdempotencyKeyReused(KEY_REUSED)
    return record


def idempotency_record(
    *, user: UserLike, endpoint: str, key: str, fingerprint: str, status_code: int, response: Any
) -> IdempotencyKey:
    """Record the answer; call inside the transaction that did the writes, so both happen or neither."""
    return IdempotencyKey.objects.create(
        user=user, endpoint=endpoint, key=key, request_hash=fingerprint, status_code=status_code, response=response
    )
