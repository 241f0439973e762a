"""Webhook subscriptions in the API: CCO staff only, the secret write-only, bad input refused naming the field."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from integrations.models import WebhookSubscription

URL = "/api/v1/webhook-subscriptions/"
GOOD = {"name": "crm", "url": "https://crm.example.org/hooks", "secret": "s" * 16, "events": ["task.created"]}


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_cco_staff_create_and_read_without_ever_seeing_the_secret(cco_staff):
    client = _client(cco_staff)
    created = client.post(URL, GOOD, format="json")
    assert created.status_code == 201, created.content
    assert "secret" not in created.json() and created.json()["secret_set"] is True
    listing = client.get(URL)
    assert listing.status_code == 200 and "s" * 16 not in listing.content.decode()
    changed = client.patch(f"{URL}{created.json()['id']}/", {"name": "crm2"}, format="json")
    assert changed.status_code == 200
    assert WebhookSubscription.objects.get().secret == "s" * 16  # kept when not given


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_other_roles_get_403_for_reads_and_writes(role, request):
    client = _client(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, GOOD, format="json").status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_anonymous_gets_401(db):
    assert _client(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"url": "ftp://crm.example.org/x"}, "url", "must start with http:// or https://"),
        ({"url": "https://cco.example.com/api/v1/tasks/"}, "url", "points at this product itself"),
        ({"secret": "short"}, "secret", "at least 16 characters"),
        ({"events": ["task.exploded"]}, "events", "Unknown event"),
        ({"events": []}, "events", "at least one event"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(cco_staff, settings, change, field, says):
    settings.SITE_URL = "https://cco.example.com"
    response = _client(cco_staff).post(URL, {**GOOD, **change}, format="json")
    assert response.status_code == 400
    assert says in " ".join(
        response.json()[field] if isinstance(response.json().get(field), list) else [str(response.json())]
    )
    assert not WebhookSubscription.objects.exists()
