"""With CACHE_URL pointing at Redis, two web processes share the throttle counters."""

import json
import os
import subprocess
import sys

import pytest

from tests.worker import ROOT, database_url

pytestmark = pytest.mark.slow  # two real web processes

LOGINS = """
import json, os, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
login = {"username": "owner", "password": "x"}
answers = [client.post("/api/v1/auth/token/", login) for _ in range(int(os.environ["LOGINS"]))]
# 400 only for a refused password (not, say, a refused host): the throttle let the request in.
codes = [r.status_code if r.status_code != 400 or b"non_field_errors" in r.content else -1 for r in answers]
print(json.dumps(codes))
"""


def _logins(count: int, cache_url: str) -> list[int]:
    """`count` failed token logins from a fresh process (its own memory, its own throttle object)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cco.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": cache_url,
        "API_THROTTLE_AUTH": "3/min",
        "LOGINS": str(count),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOGINS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_second_web_process_sees_the_first_ones_logins(transactional_db, owner, redis_server):
    shared = redis_server.url.replace("/0", "/1")
    assert _logins(2, shared) == [400, 400]
    assert _logins(2, shared) == [400, 429]  # the third login of the minute was in another process


def test_without_a_shared_cache_each_process_counts_alone(transactional_db, owner):
    assert _logins(2, "locmemcache://") == [400, 400]
    assert _logins(2, "locmemcache://") == [400, 400]
