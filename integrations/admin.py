"""Admin of integrations (CCO staff only, by model permissions): subscriptions, chat channels, delivery logs.

Secrets and chat URLs (which hold tokens) are write-only here: the field is empty on every
form, and leaving it empty on a change keeps the saved value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from core.admin_tools import GuardedAdmin, copy_saved
from core.events import EVENTS
from integrations.models import ChatChannel, ChatDelivery, WebhookDelivery, WebhookSubscription
from integrations.selectors import (
    chat_channel_list,
    chat_delivery_list,
    webhook_delivery_list,
    webhook_subscription_list,
)
from integrations.services import (
    chat_channel_save,
    webhook_deliveries_resend,
    webhook_subscription_create,
    webhook_subscription_update,
)

KEEP = "Leave empty to keep the saved one (it is never shown again)."
MASK = "•••••• (saved, not shown)"


def _keep_saved(form: forms.ModelForm, name: str) -> Any:
    value = form.cleaned_data.get(name)
    if not value and form.instance.pk:
        return getattr(type(form.instance).objects.get(pk=form.instance.pk), name)
    return value


class WebhookSubscriptionForm(forms.ModelForm):
    secret = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False, max_length=200)
    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"size": 60}),
        help_text="http(s), not this product's own address.",
    )
    events = forms.MultipleChoiceField(choices=[(e, e) for e in EVENTS], widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "secret", "events", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["secret"].help_text = "At least 16 characters; signs every delivery. " + (
            KEEP if self.instance.pk else ""
        )

    def clean_secret(self) -> str:
        return _keep_saved(self, "secret") or ""


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(GuardedAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "url", "event_list", "active", "updated_at"]
    list_filter = ["active"]

    def get_queryset(self, request: HttpRequest):
        return webhook_subscription_list()

    @admin.display(description="events")
    def event_list(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.events or [])

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if change:
            saved = webhook_subscription_update(subscription=obj, **values)
        else:
            saved = webhook_subscription_create(**values)
        copy_saved(obj, saved)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(GuardedAdmin):
    """The delivery log: what went where, how it went; "resend" sends chosen ones again."""

    list_display = ["id", "event_name", "subscription", "status", "attempts", "last_status_code", "delivered_at"]
    list_filter = ["status", "subscription", "event__name"]
    list_select_related = ["event", "subscription"]
    search_fields = ["uuid", "event__uuid", "last_error"]
    readonly_fields = [
        "uuid",
        "subscription",
        "event_payload",
        "status",
        "attempts",
        "next_attempt_at",
        "give_up_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    ]
    exclude = ["event"]
    actions = ["resend"]

    def get_queryset(self, request: HttpRequest):
        return webhook_delivery_list()

    @admin.display(description="event", ordering="event__name")
    def event_name(self, obj: WebhookDelivery) -> str:
        return obj.event.name

    @admin.display(description="payload")
    def event_payload(self, obj: WebhookDelivery) -> Any:
        return obj.event.payload

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Resend the selected deliveries", permissions=["change"])
    def resend(self, request: HttpRequest, queryset) -> None:
        count = webhook_deliveries_resend(delivery_ids=list(queryset.values_list("pk", flat=True)))
        messages.success(request, f"{count} deliveries will be sent again (pending ones were left as they are).")


class ChatChannelForm(forms.ModelForm):
    url = forms.CharField(widget=forms.PasswordInput(render_value=False), required=False, max_length=500)

    class Meta:
        model = ChatChannel
        fields = ["department", "person", "url", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = ChatChannel._meta.get_field("url").help_text + (
            ". " + KEEP if self.instance.pk else ""
        )

    def clean_url(self) -> str:
        return _keep_saved(self, "url") or ""


@admin.register(ChatChannel)
class ChatChannelAdmin(GuardedAdmin):
    form = ChatChannelForm
    list_display = ["__str__", "department", "person", "service", "active"]
    list_select_related = ["department", "person"]

    def get_queryset(self, request: HttpRequest):
        return chat_channel_list()

    @admin.display(description="service")
    def service(self, obj: ChatChannel) -> str:
        return obj.url.split("://", 1)[0] + "://" + MASK

    def save_model(self, request: HttpRequest, obj: ChatChannel, form, change: bool) -> None:
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        copy_saved(obj, chat_channel_save(channel=obj if change else None, **values))


@admin.register(ChatDelivery)
class ChatDeliveryAdmin(GuardedAdmin):
    list_display = ["id", "kind", "subject_key", "for_date", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "for_date"]
    list_select_related = ["channel__department", "channel__person"]
    readonly_fields = [f.name for f in ChatDelivery._meta.fields]

    def get_queryset(self, request: HttpRequest):
        return chat_delivery_list()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
