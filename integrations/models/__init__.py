"""Models of the integrations floor: chat channels and deliveries; webhook subscriptions, events and deliveries."""

from integrations.models.chat import ChatChannel, ChatDelivery
from integrations.models.webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription

__all__ = ["ChatChannel", "ChatDelivery", "WebhookDelivery", "WebhookEvent", "WebhookSubscription"]
