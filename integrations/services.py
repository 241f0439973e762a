"""The one door for writes on the integrations floor: subscriptions, chat channels, resending."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.queue import publish
from integrations.models import ChatChannel, WebhookDelivery, WebhookSubscription
from integrations.webhooks.record import DELIVER_TASK

Status = WebhookDelivery.Status


@transaction.atomic
def webhook_subscription_create(**fields: Any) -> WebhookSubscription:
    subscription = WebhookSubscription(**fields)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def webhook_subscription_update(*, subscription: WebhookSubscription, **fields: Any) -> WebhookSubscription:
    """Change a subscription; a blank or missing secret keeps the saved one (it is never shown, so never re-typed)."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if not fields.get("secret"):
        fields.pop("secret", None)
    for name, value in fields.items():
        setattr(subscription, name, value)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def chat_channel_save(*, channel: ChatChannel | None = None, **fields: Any) -> ChatChannel:
    """Create or change a chat channel; a blank URL on a change keeps the saved one (it holds a token)."""
    channel = ChatChannel() if channel is None or channel.pk is None else channel
    if channel.pk and not fields.get("url"):
        fields.pop("url", None)
    for name, value in fields.items():
        setattr(channel, name, value)
    channel.full_clean()
    channel.save()
    return channel


@transaction.atomic
def webhook_deliveries_resend(*, delivery_ids: Iterable[int]) -> int:
    """Send the chosen deliveries again (same X-CCO-Delivery id), with a new day of retries; returns how many.

    In one conditional UPDATE: a pending delivery is left as it is, so a second click sends nothing more.
    """
    now = timezone.now()
    rows = WebhookDelivery.objects.filter(pk__in=list(delivery_ids), status__in=[Status.FAILED, Status.DELIVERED])
    subscriptions = sorted(set(rows.values_list("subscription_id", flat=True)))
    count = rows.update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        give_up_at=now + dt.timedelta(seconds=settings.WEBHOOKS_RETRY_FOR_SECONDS),
        last_error="",
    )
    transaction.on_commit(lambda: [publish(DELIVER_TASK, subscription_id=s) for s in subscriptions])
    return count
