from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

EVENTS_REQUIRED = "Choose at least one event: {known}."
EVENTS_UNKNOWN = "Unknown event(s): {unknown}. The events are: {known}."


class WebhookSubscription(models.Model):
    """An outside system that wants some events, POSTed as signed JSON to its URL (docs/webhooks.md)."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    # Signs every delivery (HMAC-SHA256); never shown again once saved, never logged.
    secret = models.CharField(max_length=200)
    events = models.JSONField(default=list, help_text="The event names this subscription receives.")
    active = models.BooleanField(default=True)
    # One worker at a time sends a subscription's deliveries, oldest first (order): its claim.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from core.events import EVENTS
        from integrations.targets import webhook_secret_validate, webhook_url_validate

        webhook_url_validate(self.url)
        webhook_secret_validate(self.secret)
        if not isinstance(self.events, list) or not self.events:
            raise ValidationError({"events": EVENTS_REQUIRED.format(known=", ".join(EVENTS))})
        unknown = [e for e in self.events if e not in EVENTS]
        if unknown:
            raise ValidationError(
                {"events": EVENTS_UNKNOWN.format(unknown=", ".join(map(str, unknown)), known=", ".join(EVENTS))}
            )


class WebhookEvent(models.Model):
    """Something that happened, once: its id is the idempotency id receivers see (X-CCO-Event)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=120, unique=True)
    name = models.CharField(max_length=40)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.uuid}"


class WebhookDelivery(models.Model):
    """One event for one subscription: sent in event order, retried with backoff for up to a day."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # Retried until then (WEBHOOKS_RETRY_FOR_SECONDS after it was recorded or resent), then failed.
    give_up_at = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["subscription", "status", "id"], name="webhook_delivery_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event"],
                name="webhook_delivery_once_per_subscription",
                violation_error_message="This event was already recorded for this subscription.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.name} to {self.subscription}"
