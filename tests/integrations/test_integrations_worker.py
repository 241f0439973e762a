"""Real workers: chat posts delivered once per channel through a worker kill and 429s; webhooks in order
through 500s with two worker processes. Counted by the local peers themselves."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter

import pytest
from django.utils import timezone

from accountability.models import ReminderSettings
from accountability.reminders.tasks import reminders_fanout
from integrations.models import ChatDelivery, WebhookDelivery
from integrations.services import chat_channel_save, webhook_subscription_create
from roadmap.services import task_create
from tests import factories
from tests.integrations.chat_formats import FORMATS
from tests.integrations.receiver import Peer
from tests.worker import ROOT, wait_until

pytestmark = pytest.mark.worker
FAST_RECOVERY = {  # a dead worker's batch is back in seconds, not the production quarter hour
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    "REMINDERS_LEASE_SECONDS": "5",
    "CHAT_RETRY_BACKOFF_SECONDS": "0.5",
    "CHAT_SWEEP_SECONDS": "1",
    "SITE_URL": "https://cco.example.com",
}
TASKS_PER_CHANNEL = 3
SLACK_REDIRECT = ROOT / "tests" / "integrations" / "slack_redirect"  # its sitecustomize.py


def _chat_done() -> bool:
    rows = ChatDelivery.objects.all()
    return rows.exists() and not rows.exclude(status=ChatDelivery.Status.SENT).exists()


def test_each_chat_format_gets_each_post_once_through_a_worker_kill_and_a_429(
    celery_processes, redis_server, peer_server, tls_cert
):
    due = timezone.localdate() + dt.timedelta(days=3)
    initiative = factories.InitiativeFactory(
        start_date=due - dt.timedelta(days=90), end_date=due + dt.timedelta(days=90)
    )
    peers, redirect = {}, {}
    for fmt in FORMATS:
        peer = fmt.peer(answers=[429])
        peer.delay = 0.4  # a slow service: the kill lands while posts are in flight
        server = peer_server(peer, tls=tls_cert if fmt.tls else None)
        if fmt.in_process_only:  # Slack's fixed host, moved to its peer in the worker processes
            redirect = {
                "PYTHONPATH": os.pathsep.join(filter(None, [str(SLACK_REDIRECT), os.environ.get("PYTHONPATH")])),
                "TEST_SLACK_WEBHOOK_URL": f"http://127.0.0.1:{server.port}/services",
            }
        department = factories.DepartmentFactory(name=fmt.name)
        chat_channel_save(department=department, url=fmt.url.format(port=server.port))
        for i in range(TASKS_PER_CHANNEL):
            factories.TaskFactory(department=department, initiative=initiative, due_date=due, title=f"{fmt.name} {i}")
        peers[fmt.name] = peer
    ReminderSettings.objects.create(batch_size=50)
    first = celery_processes.worker(**FAST_RECOVERY, **redirect)
    reminders_fanout.delay()
    # Killed while a request waits on its slow peer: the one worker process sends one at a time, so
    # every post answered before it has been recorded. A kill between a service's answer and that
    # record is the one way to post twice (docs/chat.md), and not what this test is about.
    wait_until(
        lambda: sum(len(p.accepted()) for p in peers.values()) >= 2 and any(p.in_flight for p in peers.values()),
        timeout=60,
        message="two posts taken and one in flight",
    )
    celery_processes.kill(first)

    celery_processes.worker(**FAST_RECOVERY, **redirect)
    celery_processes.beat(**FAST_RECOVERY, **redirect)  # the chat sweep re-enqueues what the dead worker held
    wait_until(_chat_done, timeout=90, message="every chat post sent after the kill")
    time.sleep(1.5)  # a duplicate would arrive now

    for name, peer in peers.items():
        titles = Counter(
            next(f"{name} {i}" for i in range(TASKS_PER_CHANNEL) if f"{name} {i}" in r.body.decode())
            for r in peer.accepted()
        )
        assert titles == {f"{name} {i}": 1 for i in range(TASKS_PER_CHANNEL)}, name
        assert any(r.status == 429 for r in peer.received) or name == "Matrix", name


def test_webhooks_arrive_in_order_once_each_through_500s_with_two_workers(celery_processes, department, peer_server):
    peer = Peer(answers=[500, 500, 503])
    server = peer_server(peer)
    webhook_subscription_create(
        name="crm", url=f"http://127.0.0.1:{server.port}/in", secret="s" * 20, events=["task.created"]
    )
    env = {
        "WEBHOOKS_RETRY_BACKOFF_SECONDS": "0.3",
        "WEBHOOKS_SWEEP_SECONDS": "1",
        "SITE_URL": "https://cco.example.com",
    }
    celery_processes.worker(concurrency=2, **env)
    celery_processes.beat(**env)
    initiative = factories.InitiativeFactory()
    for i in range(6):
        task_create(
            initiative=initiative,
            department=department,
            title=f"Task {i}",
            owner=department.head,
            due_date=initiative.start_date + dt.timedelta(days=30),
        )
    done = WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.DELIVERED)
    wait_until(lambda: WebhookDelivery.objects.count() == 6 and not done.exists(), timeout=90, message="all delivered")
    time.sleep(1.5)

    accepted = [r for r in peer.received if r.status < 300]
    assert [r.json()["data"]["task"]["title"] for r in accepted] == [f"Task {i}" for i in range(6)]
    ids = [r.headers["X-CCO-Delivery"] for r in accepted]
    assert len(ids) == len(set(ids)) == 6
    assert [r.status for r in peer.received[:3]] == [500, 500, 503]
