"""Readiness follows the broker: a real redis-server stopped fails it, started again restores it."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from cco.celery import app
from tests.worker import point_app_at_broker

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(redis_server, settings):
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = redis_server.url
    point_app_at_broker(app, redis_server.url)
    yield redis_server
    point_app_at_broker(app, previous)


def _broker_check() -> tuple[int, dict]:
    response = Client().get("/health/ready?check=broker&check=database")
    return response.status_code, response.json()


def test_readiness_fails_while_the_broker_is_down_and_recovers_when_it_is_back(broker, caplog):
    status, body = _broker_check()
    assert status == 200 and body["checks"]["broker"]["ok"] is True

    broker.stop()
    started = time.monotonic()
    status, body = _broker_check()
    assert time.monotonic() - started < 5  # a probe must not hang on a dead broker
    assert status == 503 and body["status"] == "failing"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"] in {"OperationalError", "ConnectionError", "ConnectionRefusedError"}
    assert body["checks"]["database"]["ok"] is True  # only the broker is named
    assert "Health check broker failed" in caplog.text  # the details go to the log

    broker.start()  # the same port
    status, body = _broker_check()
    assert status == 200 and body["checks"]["broker"]["ok"] is True
