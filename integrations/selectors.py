"""Reads of the integrations floor: only CCO staff see subscriptions, channels and delivery logs."""

from __future__ import annotations

from django.db.models import QuerySet

from integrations.models import ChatChannel, ChatDelivery, WebhookDelivery, WebhookSubscription


def webhook_subscription_list() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.order_by("id")


def webhook_delivery_list() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.select_related("event", "subscription")


def chat_channel_list() -> QuerySet[ChatChannel]:
    return ChatChannel.objects.select_related("department", "person")


def chat_delivery_list() -> QuerySet[ChatDelivery]:
    return ChatDelivery.objects.select_related("channel__department", "channel__person", "message__recipient")
