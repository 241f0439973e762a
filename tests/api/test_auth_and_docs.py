"""Tokens (obtained, throttled, managed in the admin), anonymous refusal, schema and offline docs."""

from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from org.models import ApiKey
from tests.api.conftest import token_client


def test_a_token_is_obtained_with_username_and_password(owner):
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": "pw-for-tests"})
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiKey.objects.get(user=owner).prefix == key[:8]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/tasks/").status_code == 200


def test_a_wrong_password_is_400_naming_the_reason(owner):
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": "nope"})
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_token_logins_are_throttled(owner, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min", "bulk": "3/min"})
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": "owner", "password": "x"}).status_code for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_bulk_feeds_are_throttled(cco_staff, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/min", "bulk": "2/min"})
    client = token_client(cco_staff)
    statuses = [client.post("/api/v1/readings/bulk/", {"rows": []}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_anonymous_gets_401_with_a_token_challenge(db):
    response = APIClient().get("/api/v1/tasks/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_no_longer_works(owner):
    client = token_client(owner)
    ApiKey.objects.filter(user=owner).delete()
    assert client.get("/api/v1/tasks/").status_code == 401


def test_keys_are_managed_in_the_admin(admin_client):
    assert admin_client.get("/admin/org/apikey/").status_code == 200
    assert admin_client.get("/admin/org/apikey/add/").status_code == 200


def test_the_schema_is_served(owner):
    response = token_client(owner).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/tasks/{id}/" in response.json()["paths"]


def test_the_docs_load_their_assets_from_this_site(owner):
    client = APIClient()
    client.force_login(owner)
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "https://" not in page


def test_anonymous_gets_neither_schema_nor_docs(db):
    assert APIClient().get("/api/v1/schema/").status_code == 401
    assert APIClient().get("/api/v1/docs/").status_code == 401
