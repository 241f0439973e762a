"""A save never waits long for a broker that is down or hung (no worker needed)."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from accountability.scorecards.admin import RECOMPUTE_NOT_QUEUED
from cco.celery import app
from org.models import RecomputeRequest
from tests import factories
from tests.accountability.scorecard_worker_helpers import save_reading
from tests.worker import point_app_at_broker

pytestmark = pytest.mark.slow  # waits on a hung broker


@pytest.fixture
def hung_broker():
    """A TCP server that accepts connections and never answers, like a frozen Redis."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    threading.Thread(target=lambda: [accepted.append(server.accept()) for _ in iter(int, 1)], daemon=True).start()
    previous = app.conf.broker_url
    point_app_at_broker(app, f"redis://127.0.0.1:{server.getsockname()[1]}/0")
    yield
    point_app_at_broker(app, previous)
    server.close()


@pytest.fixture
def refused_broker():
    with socket.socket() as sock:  # a free port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    previous = app.conf.broker_url
    point_app_at_broker(app, f"redis://127.0.0.1:{port}/0")
    yield
    point_app_at_broker(app, previous)


@pytest.mark.parametrize("broker", ["hung_broker", "refused_broker"])
def test_a_save_takes_under_two_seconds_when_the_broker_does_not_answer(transactional_db, department, broker, request):
    request.getfixturevalue(broker)
    metric = factories.MetricFactory(code="first-contact-resolution")
    save_reading(department=department, metric=metric)  # the first publish also imports the transport
    RecomputeRequest.objects.update(enqueued_at=None)  # so the next save tries to send again
    started = time.monotonic()
    save_reading(department=department, metric=metric, value=2)
    took = time.monotonic() - started
    print(f"save with a {broker.replace('_', ' ')} took {took:.3f}s")
    assert took < 2
    assert RecomputeRequest.objects.filter(department=department).exists()


def test_recompute_now_says_so_when_the_queue_cannot_be_reached(transactional_db, client, refused_broker):
    cco_staff = factories.CCOStaffFactory()
    card = factories.ScorecardFactory()
    client.force_login(cco_staff)
    started = time.monotonic()
    response = client.post(
        reverse("admin:accountability_scorecard_changelist"),
        {"action": "recompute_now", "_selected_action": [card.pk]},
        follow=True,
    )
    assert time.monotonic() - started < 2
    assert RECOMPUTE_NOT_QUEUED.format(count=1).split("`")[0] in response.content.decode()
