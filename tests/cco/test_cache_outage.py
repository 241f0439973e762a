"""A shared cache (Redis) that is down or hung slows a login or a bulk feed by its short socket timeout, no more."""

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.worker import ROOT

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers: a Redis frozen mid-failover."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted, stop = [], threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/1"
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    listener.close()


def _settings_caches(url: str) -> dict:
    """CACHES as cco/settings.py builds them from CACHE_URL (read in a fresh process)."""
    env = {**os.environ, "DEBUG": "1", "CACHE_URL": url, "DJANGO_SETTINGS_MODULE": "cco.settings"}
    env.pop("CACHE_SOCKET_TIMEOUT", None)
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.CACHES))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_redis_cache_gets_short_socket_timeouts_from_the_settings(hung_redis):
    caches = _settings_caches(hung_redis)
    assert caches["default"]["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _timed_login() -> tuple[float, object]:
    started = time.monotonic()
    response = APIClient().post("/api/v1/auth/token/", {"username": "owner", "password": PASSWORD})
    return time.monotonic() - started, response


def test_a_hung_cache_delays_a_token_login_by_its_timeout_and_lets_it_in(settings, owner, hung_redis):
    caches = _settings_caches(hung_redis)
    healthy, _ = _timed_login()  # the same login with the default per-process cache
    settings.CACHES = caches
    hung, response = _timed_login()
    assert response.status_code == 200 and response.json()["token"]
    assert hung - healthy < 2  # the throttle's one read waits 0.5 s, then lets the login in


def test_a_hung_cache_does_not_fail_a_bulk_feed(settings, cco_staff, department, hung_redis):
    client = token_client(cco_staff)  # the key is made before the cache hangs
    settings.CACHES = _settings_caches(hung_redis)
    response = client.post("/api/v1/readings/bulk/", {"rows": []}, format="json")
    assert response.status_code == 400  # the feed's own answer to no rows, not a 500
    assert "rows" in response.json()
