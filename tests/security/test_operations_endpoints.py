"""Probes and /metrics for every role: probes open and bare, metrics only with the token, no secret or name."""

from __future__ import annotations

import pytest
from django.test import Client

ROLES = ["cco", "head", "owner", "executive", None]
TOKEN = "the-scrapers-token-0123456789"


@pytest.fixture
def role_client(world):
    def make(role: str | None) -> Client:
        client = Client()
        if role:
            client.force_login(world.users[role])
        return client

    return make


@pytest.mark.parametrize("role", ROLES)
def test_probes_answer_every_role_alike_and_metrics_none_without_the_token(role, role_client, settings, world):
    settings.METRICS_TOKEN = TOKEN
    client = role_client(role)
    live = client.get("/health/live")
    assert live.status_code == 200 and "Set-Cookie" not in live
    ready = client.get("/health/ready?check=database&check=cache")
    assert ready.status_code == 200 and set(ready.json()) == {"status", "checks"}
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_metrics_name_no_person(world, settings):
    settings.METRICS_TOKEN = TOKEN
    Client().get("/admin/login/")
    text = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "cco_http_requests_total" in text
    for user in (u for u in world.users.values() if u.pk):
        assert f'"{user.username}"' not in text and user.email not in text  # as no label value, nor an address


def test_a_failing_check_never_shows_the_url_or_its_password(settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:s3cret-pass@127.0.0.1:1/0",
        }
    }
    response = Client().get("/health/ready?check=cache")
    assert response.status_code == 503
    body = response.content.decode()
    assert "s3cret" not in body and "127.0.0.1" not in body
