"""The integrations admin: bad input is a form error naming the field with nothing saved; secrets stay hidden."""

from __future__ import annotations

from django.urls import reverse

from integrations.models import ChatChannel, WebhookSubscription
from tests import factories

ADD_SUBSCRIPTION = "admin:integrations_webhooksubscription_add"
GOOD = {
    "name": "CRM",
    "url": "https://crm.example.org/hooks",
    "secret": "a" * 16,
    "events": ["task.created"],
    "active": "on",
}


def _post(client, user, name, data, args=()):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


def test_a_short_secret_or_a_url_at_the_product_is_a_form_error_and_nothing_is_saved(client, cco_staff, settings):
    settings.SITE_URL = "https://cco.example.com"
    short = _post(client, cco_staff, ADD_SUBSCRIPTION, {**GOOD, "secret": "short"})
    assert short.status_code == 200 and "at least 16 characters" in short.context["adminform"].form.errors["secret"][0]
    own = _post(client, cco_staff, ADD_SUBSCRIPTION, {**GOOD, "url": "https://cco.example.com/api/v1/"})
    assert "points at this product itself" in own.context["adminform"].form.errors["url"][0]
    assert not WebhookSubscription.objects.exists()


def test_saving_without_a_secret_keeps_the_saved_one(client, cco_staff):
    saved = _post(client, cco_staff, ADD_SUBSCRIPTION, GOOD)
    assert saved.status_code == 302
    subscription = WebhookSubscription.objects.get()
    change = "admin:integrations_webhooksubscription_change"
    kept = _post(client, cco_staff, change, {**GOOD, "secret": "", "name": "CRM 2"}, args=[subscription.pk])
    assert kept.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.name, subscription.secret) == ("CRM 2", "a" * 16)


def test_a_chat_channel_with_an_unknown_url_is_refused_and_a_saved_url_is_never_shown(client, cco_staff, department):
    add = "admin:integrations_chatchannel_add"
    bad = _post(client, cco_staff, add, {"department": department.pk, "url": "ftp://x.example.org/", "active": "on"})
    assert "not a chat URL apprise knows" in bad.context["adminform"].form.errors["url"][0]
    assert not ChatChannel.objects.exists()
    url = "mmosts://chat.example.org/secrettoken123"
    assert _post(client, cco_staff, add, {"department": department.pk, "url": url, "active": "on"}).status_code == 302
    channel = ChatChannel.objects.get()
    for page in (
        client.get(reverse("admin:integrations_chatchannel_changelist")),
        client.get(reverse("admin:integrations_chatchannel_change", args=[channel.pk])),
    ):
        assert page.status_code == 200 and "secrettoken123" not in page.content.decode()


def test_a_channel_for_both_a_department_and_a_person_is_refused(client, cco_staff, department):
    data = {"department": department.pk, "person": factories.UserFactory().pk, "url": "json://x.example.org/h"}
    response = _post(client, cco_staff, "admin:integrations_chatchannel_add", {**data, "active": "on"})
    assert response.status_code == 200 and "one department or to one person" in str(
        response.context["adminform"].form.errors
    )
    assert not ChatChannel.objects.exists()
