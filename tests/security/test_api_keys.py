"""API keys: hashed at rest, shown once, named, expiring, listed and revoked by their owner only."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from org.models import ApiKey
from tests import factories

KEYS = "/api/v1/auth/keys/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def make_key(user, name="CRM sync") -> tuple[int, str]:
    body = signed_in(user).post(KEYS, {"name": name}, format="json").json()
    return body["id"], body["token"]


def test_a_key_is_shown_once_and_stored_only_as_its_digest(owner):
    response = signed_in(owner).post(KEYS, {"name": "CRM sync"}, format="json")
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    stored = ApiKey.objects.get(pk=body["id"])
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.digest, stored.prefix, stored.name} and stored.prefix == key[:8]
    assert with_key(key).get("/api/v1/tasks/").status_code == 200
    listed = signed_in(owner).get(KEYS).json()["results"]
    assert [row["name"] for row in listed] == ["CRM sync"] and "token" not in listed[0]
    assert "token" not in signed_in(owner).get(f"{KEYS}{body['id']}/").json()


def test_the_token_endpoint_makes_a_named_key_that_expires_after_api_key_days(owner, settings):
    settings.API_KEY_DAYS = 30
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": "pw-for-tests", "name": "BI"})
    assert response.status_code == 200
    stored = ApiKey.objects.get(user=owner)
    assert stored.name == "BI"
    assert abs(stored.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


def test_a_key_stops_working_when_it_expires(owner):
    _id, key = make_key(owner)  # 90 days by default
    with time_machine.travel(timezone.now() + dt.timedelta(days=89)):
        assert with_key(key).get("/api/v1/tasks/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        response = with_key(key).get("/api/v1/tasks/")
        assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_the_last_use_is_recorded(owner):
    key_id, key = make_key(owner)
    assert ApiKey.objects.get(pk=key_id).last_used_at is None
    with_key(key).get("/api/v1/tasks/")
    assert ApiKey.objects.get(pk=key_id).last_used_at is not None


def test_each_person_lists_and_revokes_their_own_keys_only(owner, head):
    own_id, own_key = make_key(owner)
    other_id, other_key = make_key(head, name="head's key")
    client = signed_in(owner)
    assert [row["id"] for row in client.get(KEYS).json()["results"]] == [own_id]
    assert client.get(f"{KEYS}{other_id}/").status_code == 404
    assert client.delete(f"{KEYS}{other_id}/").status_code == 404
    assert with_key(other_key).get("/api/v1/tasks/").status_code == 200
    assert client.delete(f"{KEYS}{own_id}/").status_code == 204
    assert with_key(own_key).get("/api/v1/tasks/").status_code == 401


def test_nobody_makes_a_key_for_someone_else_through_the_api(cco_staff, executive):
    response = signed_in(cco_staff).post(KEYS, {"name": "as the exec", "user": executive.pk}, format="json")
    assert response.status_code == 201
    assert ApiKey.objects.get(pk=response.json()["id"]).user == cco_staff
    assert not ApiKey.objects.filter(user=executive).exists()


def test_cco_staff_see_and_make_only_their_own_keys_in_the_admin(cco_staff, executive):
    make_key(executive, name="exec's key")
    client = Client()
    client.force_login(cco_staff)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404  # DRF's clear-text token admin is gone
    assert "exec&#x27;s key" not in client.get("/admin/org/apikey/").content.decode()
    form = client.get("/admin/org/apikey/add/").context["adminform"].form
    assert list(form.fields) == ["name"]  # no user to choose
    page = client.post("/admin/org/apikey/add/", {"name": "board pack", "user": executive.pk})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    made = ApiKey.objects.get(name="board pack")
    assert made.user == cco_staff
    key = page.context["key"]
    assert key in page.content.decode() and with_key(key).get("/api/v1/tasks/").status_code == 200
    # Never shown again: not on the change page, not in the list.
    assert key not in client.get(f"/admin/org/apikey/{made.pk}/change/").content.decode()
    assert key not in client.get("/admin/org/apikey/").content.decode()


def test_a_person_revokes_their_key_in_the_admin(owner):
    key_id, key = make_key(owner)
    client = Client()
    client.force_login(owner)
    assert client.post(f"/admin/org/apikey/{key_id}/delete/", {"post": "yes"}).status_code == 302
    assert with_key(key).get("/api/v1/tasks/").status_code == 401


def test_a_deactivated_persons_keys_stop_working(owner):
    _id, key = make_key(owner)
    owner.is_active = False
    owner.save()
    assert with_key(key).get("/api/v1/tasks/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_keys_from_before_hashing_keep_working_after_the_migration(settings):
    settings.API_KEY_DAYS = 90
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0004_api_keys")])
    try:
        old = executor.loader.project_state([("org", "0004_api_keys"), ("authtoken", "0004_alter_tokenproxy_options")])
        user = factories.TaskOwnerFactory(username="integration")
        token_model = old.apps.get_model("authtoken", "Token")
        token_model.objects.create(key="0123456789abcdef0123456789abcdef01234567", user_id=user.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    migrated = ApiKey.objects.get(user=user)
    assert migrated.name == "Key from before hashing" and migrated.prefix == "01234567"
    assert abs(migrated.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0  # no clear value is left
    assert with_key("0123456789abcdef0123456789abcdef01234567").get("/api/v1/tasks/").status_code == 200
