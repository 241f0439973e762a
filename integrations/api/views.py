"""Webhook subscriptions in the API (CCO staff only): the secret is write-only, never returned."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from core.api import WRITE_METHODS
from core.events import EVENTS
from integrations.api.permissions import CCOStaffOnly
from integrations.models import WebhookSubscription
from integrations.selectors import webhook_subscription_list
from integrations.services import webhook_subscription_create, webhook_subscription_update


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """`secret` (at least 16 characters) is accepted and never shown again; `secret_set` says one is saved."""

    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    secret_set = serializers.SerializerMethodField()
    events = serializers.ListField(child=serializers.CharField(max_length=40), help_text=", ".join(EVENTS))
    url = serializers.CharField(max_length=500)  # checked by the model: http(s), not the product itself

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "secret", "secret_set", "events", "active", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_secret_set(self, subscription: WebhookSubscription) -> bool:
        return bool(subscription.secret)


class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """Outgoing webhook subscriptions (docs/webhooks.md)."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [CCOStaffOnly]
    ordering_fields = ["id", "name"]
    http_method_names = WRITE_METHODS  # no deletes in the API: the admin deletes (or switch `active` off)

    def get_queryset(self) -> Any:
        return webhook_subscription_list()

    def perform_create(self, serializer: WebhookSubscriptionSerializer) -> None:
        serializer.instance = webhook_subscription_create(**serializer.validated_data)

    def perform_update(self, serializer: WebhookSubscriptionSerializer) -> None:
        serializer.instance = webhook_subscription_update(subscription=serializer.instance, **serializer.validated_data)
