"""Sending one subscription's deliveries, oldest first, one worker at a time (docs/webhooks.md).

Order: a subscription's deliveries go out in the order they were recorded, and a refused one
holds back those behind it until it is delivered or given up (WEBHOOKS_RETRY_FOR_SECONDS).
One worker at a time: a batch first claims the subscription (a conditional UPDATE of its
claim token, with a lease); another worker finds it claimed and sends nothing. A delivery the
receiver answers with 2xx is marked delivered at once. Every attempt of a delivery carries the
same X-CCO-Delivery id and body, so a receiver drops the copy of the rare repeat (a worker
dying between the answer and that mark).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.webhooks.signing import webhook_body, webhook_headers

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status
GAVE_UP = "Failed: not delivered within {hours:g} hours; last answer: {error}"
NOT_HTTP = "Not sent: the URL is not http(s)."
REDIRECT = "HTTP {code}: redirects are not followed; give the final URL."


@dataclass
class WebhookOutcome:
    delivered: int = 0
    retry_in: float | None = None  # seconds until this subscription's task should run again


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer like any other: not delivered


_opener = urllib.request.build_opener(_NoRedirects)


def webhook_post(*, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST; returns (status code or None, error text). Delivered means a 2xx."""
    if not url.startswith(("http://", "https://")):  # the services refuse other schemes; this never opens them
        return None, NOT_HTTP
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only)
    try:
        with _opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        error = REDIRECT.format(code=exc.code) if 300 <= exc.code < 400 else f"HTTP {exc.code} {exc.reason}"
        return exc.code, error
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"


def backoff_seconds(attempts: int) -> float:
    base = settings.WEBHOOKS_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)


def subscription_claim(*, subscription_id: int, token: uuid.UUID, now: dt.datetime) -> bool:
    free = Q(claim_token__isnull=True) | Q(claimed_at__lt=now - _lease())
    rows = WebhookSubscription.objects.filter(free, pk=subscription_id, active=True)
    return rows.update(claim_token=token, claimed_at=now) == 1


def _release(subscription_id: int, token: uuid.UUID) -> None:
    WebhookSubscription.objects.filter(pk=subscription_id, claim_token=token).update(claim_token=None, claimed_at=None)


def _next(subscription_id: int) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(subscription_id=subscription_id, status=Status.PENDING)
        .select_related("event", "subscription")
        .order_by("id")
        .first()
    )


def _attempt(delivery: WebhookDelivery, outcome: WebhookOutcome) -> bool:
    """Send one delivery; True to go on with the next one, False to stop (it waits for its retry)."""
    body = webhook_body(delivery)
    headers = webhook_headers(delivery=delivery, timestamp=int(time.time()), body=body)
    code, error = webhook_post(url=delivery.subscription.url, body=body, headers=headers)
    now = timezone.now()
    rows = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING)
    attempts = delivery.attempts + 1
    if code is not None and 200 <= code < 300:
        rows.update(status=Status.DELIVERED, attempts=attempts, last_status_code=code, last_error="", delivered_at=now)
        outcome.delivered += 1
        return True
    logger.warning("Webhook delivery %s (subscription %s) refused: %s", delivery.uuid, delivery.subscription_id, error)
    wait = backoff_seconds(attempts)
    if now + dt.timedelta(seconds=wait) > delivery.give_up_at:
        hours = settings.WEBHOOKS_RETRY_FOR_SECONDS / 3600
        rows.update(
            status=Status.FAILED,
            attempts=attempts,
            last_status_code=code,
            last_error=GAVE_UP.format(hours=hours, error=error),
        )
        return True  # given up: the deliveries behind it go on
    rows.update(
        attempts=attempts, last_status_code=code, last_error=error, next_attempt_at=now + dt.timedelta(seconds=wait)
    )
    outcome.retry_in = wait
    return False


def webhooks_deliver(*, subscription_id: int) -> WebhookOutcome:
    """Send the subscription's due deliveries in order until one must wait, or the batch's time is up."""
    outcome, token = WebhookOutcome(), uuid.uuid4()
    now = timezone.now()
    if not subscription_claim(subscription_id=subscription_id, token=token, now=now):
        return outcome  # another worker sends it (or it is off); the sweep looks again after a lost lease
    stop_at = time.monotonic() + settings.WEBHOOKS_BATCH_SOFT_TIME_LIMIT - 2 * settings.WEBHOOKS_TIMEOUT
    try:
        while (delivery := _next(subscription_id)) is not None:
            if time.monotonic() >= stop_at:
                outcome.retry_in = 0
                break
            if delivery.next_attempt_at > timezone.now():
                break  # waiting for its backoff: the task that saw it refused (or the sweep) comes back then
            if not _attempt(delivery, outcome):
                break
    finally:
        _release(subscription_id, token)
    return outcome
