"""Bulk feeds (readings, movements): all rows or none, every bad row named, retries made idempotent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api_filters import MAX_ID
from core.idempotency import IdempotencyKeyReused, idempotency_record, idempotency_replay, request_fingerprint

UNKNOWN_FIELD = "Unknown field."
ROWS_REQUIRED = 'Send {"rows": [...]} with one object per row.'
TOO_MANY_ROWS = "At most {limit} rows per request; this one has {count}."
KEY_INVALID = "An Idempotency-Key is 1 to 200 printable ASCII characters."
IDEMPOTENCY_HEADER = "Idempotency-Key"


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def optional_id_field() -> serializers.IntegerField:
    return id_field(required=False, allow_null=True, default=None)


class StrictRowSerializer(serializers.Serializer):
    """A row of a bulk feed: types checked, unknown fields refused (a typo must not be ignored)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


def _rows(data: Any) -> list:
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list) or set(data) != {"rows"}:
        raise ValidationError({"rows": [ROWS_REQUIRED]})
    rows = data["rows"]
    limit = settings.API_BULK_MAX_ROWS
    if not rows or len(rows) > limit:
        raise ValidationError({"rows": [TOO_MANY_ROWS.format(limit=limit, count=len(rows)) if rows else ROWS_REQUIRED]})
    return rows


def _typed(rows: list, row_serializer: serializers.Serializer) -> tuple[dict[int, dict], dict[int, Any]]:
    typed, errors = {}, {}
    for index, row in enumerate(rows):
        try:
            typed[index] = row_serializer.run_validation(row)
        except ValidationError as exc:
            errors[index] = exc.detail
    return typed, errors


def _key(request: Any) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not (1 <= len(key) <= 200 and key.isascii() and key.isprintable()):
        raise ValidationError({IDEMPOTENCY_HEADER: [KEY_INVALID]})
    return key


def bulk_write(
    request: Any, *, endpoint: str, row_serializer: serializers.Serializer, prepare: Callable, save: Callable
) -> Response:
    """Validate every row, then write all in one transaction (with the idempotency record) or nothing."""
    key, fingerprint = _key(request), request_fingerprint(request.data)
    ident = {"user": request.user, "endpoint": endpoint, "key": key, "fingerprint": fingerprint}
    if key:
        replay = _replay(ident)
        if replay is not None:
            return replay
    typed, errors = _typed(_rows(request.data), row_serializer)
    objects, domain_errors = prepare(rows=typed, user=request.user)
    errors.update(domain_errors)
    if errors:
        body = {"rows": [{"index": i, "errors": errors[i]} for i in sorted(errors)]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    try:
        with transaction.atomic():
            ids = save(objects)
            body = {"created": len(ids), "ids": ids}
            if key:
                idempotency_record(**ident, status_code=status.HTTP_201_CREATED, response=body)
    except IntegrityError:
        # The same key raced in from a concurrent retry: answer as that request did.
        replay = _replay(ident) if key else None
        if replay is None:
            raise
        return replay
    return Response(body, status=status.HTTP_201_CREATED)


def _replay(ident: dict) -> Response | None:
    try:
        record = idempotency_replay(**ident)
    except IdempotencyKeyReused as exc:
        return Response({IDEMPOTENCY_HEADER: [str(exc)]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if record is None:
        return None
    return Response(record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"})
