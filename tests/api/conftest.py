"""API fixtures: token clients per role (the world they act on is the shared one, tests/world.py)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from org.api_keys import api_key_create

ROLES = ["cco", "head", "other_head", "owner", "executive", "anonymous"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def token_client(user=None) -> APIClient:
    """A client that authenticates like an integration: a fresh user object on every request."""
    client = APIClient()
    if user is not None:
        _api_key, key = api_key_create(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clients(cco_staff, head, other_head, owner, executive):
    users = {"cco": cco_staff, "head": head, "other_head": other_head, "owner": owner, "executive": executive}
    return {**{role: token_client(user) for role, user in users.items()}, "anonymous": token_client()}
