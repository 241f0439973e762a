"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the subscription's secret."""

from __future__ import annotations

import hashlib
import hmac
import json

from integrations.models import WebhookDelivery


def webhook_body(delivery: WebhookDelivery) -> bytes:
    """The JSON body: the same bytes on every attempt of a delivery."""
    event = delivery.event
    document = {
        "id": str(event.uuid),
        "event": event.name,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, f"{timestamp}.{body}")."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_headers(*, delivery: WebhookDelivery, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "cco-tracker-webhooks/1",
        "X-CCO-Event": delivery.event.name,
        "X-CCO-Event-Id": str(delivery.event.uuid),
        "X-CCO-Delivery": str(delivery.uuid),
        "X-CCO-Timestamp": str(timestamp),
        "X-CCO-Signature": webhook_signature(secret=delivery.subscription.secret, timestamp=timestamp, body=body),
    }
