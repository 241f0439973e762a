"""Outgoing webhooks against a local receiver that checks signatures, answers 500 and slowly, and
counts delivery ids: signed, in order per subscription, retried with backoff, given up after a day."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

from django.urls import reverse
from django.utils import timezone

from customers.services import movement_create
from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from integrations.services import webhook_subscription_create
from integrations.webhooks.deliver import webhooks_deliver
from integrations.webhooks.sweep import webhooks_sweep
from roadmap.models import Task
from roadmap.services import check_in_create, task_create, task_update
from tests import factories
from tests.integrations.receiver import Peer

SECRET = "a-secret-of-enough-length"
D = WebhookDelivery.Status


def _subscribe(server, events, **fields) -> WebhookSubscription:
    url = f"http://127.0.0.1:{server.port}/in"
    return webhook_subscription_create(name="crm", url=url, secret=SECRET, events=events, **fields)


def _signed_right(received) -> bool:
    timestamp, signature = received.headers["X-CCO-Timestamp"], received.headers["X-CCO-Signature"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, f"sha256={expected}")


def _task(department, **fields) -> Task:
    initiative = factories.InitiativeFactory()
    return task_create(
        initiative=initiative,
        department=department,
        title="Call back within a day",
        owner=department.head,
        due_date=initiative.start_date + dt.timedelta(days=30),
        **fields,
    )


def _due_now() -> None:
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())


def test_events_are_signed_and_arrive_in_order_after_a_500_each_with_one_delivery_id(department, peer_server):
    peer = Peer(answers=[500])
    subscription = _subscribe(peer_server(peer), ["task.created", "task.changed", "checkin.added"])
    task = _task(department)
    task_update(task=task, title="Call back within four hours")
    check_in_create(task=task, author=department.head, percent_complete=20)

    first = webhooks_deliver(subscription_id=subscription.pk)  # 500: the first waits, the others behind it
    assert first.delivered == 0 and first.retry_in > 0 and len(peer.received) == 1
    _due_now()
    webhooks_deliver(subscription_id=subscription.pk)
    webhooks_deliver(subscription_id=subscription.pk)  # nothing is left: nothing is sent again

    bodies = [r.json() for r in peer.received]
    names = [b["event"] for b in bodies]
    assert names == ["task.created", "task.created", "task.changed", "task.changed", "checkin.added"]
    assert all(_signed_right(r) for r in peer.received)
    delivery_ids = [r.headers["X-CCO-Delivery"] for r in peer.received[1:]]
    assert len(delivery_ids) == len(set(delivery_ids)) == 4  # each accepted delivery once
    assert peer.received[0].headers["X-CCO-Delivery"] == peer.received[1].headers["X-CCO-Delivery"]
    assert [r.headers["X-CCO-Event-Id"] for r in peer.received] == [b["id"] for b in bodies]
    assert bodies[1]["data"]["task"]["title"] == "Call back within a day"
    assert bodies[-1]["data"]["check_in"]["percent_complete"] == 20
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {D.DELIVERED}


def test_a_slow_receiver_times_out_and_is_retried_and_nobody_subscribed_records_nothing(
    department, peer_server, settings
):
    settings.WEBHOOKS_TIMEOUT = 0.3
    _task(department)  # before any subscription: no event recorded
    assert not WebhookEvent.objects.exists()
    peer = Peer(delay=1)
    subscription = _subscribe(peer_server(peer), ["movement.recorded"])
    movement_create(
        date=dt.date(2026, 2, 1),
        kind="gained",
        segment=factories.CustomerSegmentFactory(),
        count=3,
        revenue=1,
        profit=1,
    )
    webhooks_deliver(subscription_id=subscription.pk)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (D.PENDING, 1)
    assert "timed out" in delivery.last_error.lower()
    assert delivery.next_attempt_at > timezone.now()


def test_a_delivery_refused_for_a_day_fails_and_the_next_one_goes_on(department, peer_server):
    peer = Peer(answers=[500])
    subscription = _subscribe(peer_server(peer), ["task.created"])
    _task(department)
    _task(department)
    WebhookDelivery.objects.filter(pk=WebhookDelivery.objects.order_by("id").first().pk).update(
        give_up_at=timezone.now()
    )
    webhooks_deliver(subscription_id=subscription.pk)

    first, second = WebhookDelivery.objects.order_by("id")
    assert first.status == D.FAILED and "not delivered within 24 hours" in first.last_error
    assert second.status == D.DELIVERED


def test_an_overdue_task_is_one_event_per_due_date(department, peer_server):
    peer = Peer()
    subscription = _subscribe(peer_server(peer), ["task.overdue"])
    initiative = factories.InitiativeFactory()
    factories.TaskFactory(
        department=department, initiative=initiative, due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    factories.TaskFactory(
        department=department, initiative=initiative, due_date=timezone.localdate() + dt.timedelta(days=2)
    )
    assert webhooks_sweep() == 1
    assert webhooks_sweep() == 0
    webhooks_deliver(subscription_id=subscription.pk)
    assert [r.json()["event"] for r in peer.received] == ["task.overdue"]


def test_resend_from_the_admin_sends_a_delivered_one_again_with_the_same_id(client, cco_staff, department, peer_server):
    peer = Peer()
    subscription = _subscribe(peer_server(peer), ["task.created"])
    _task(department)
    webhooks_deliver(subscription_id=subscription.pk)
    delivery = WebhookDelivery.objects.get()
    client.force_login(cco_staff)
    url = reverse("admin:integrations_webhookdelivery_changelist")
    response = client.post(url, {"action": "resend", "_selected_action": [delivery.pk]})
    assert response.status_code == 302
    webhooks_deliver(subscription_id=subscription.pk)
    assert [r.headers["X-CCO-Delivery"] for r in peer.received] == [str(delivery.uuid)] * 2


def test_the_secret_is_never_shown_in_the_admin(client, cco_staff, peer_server):
    subscription = _subscribe(peer_server(Peer()), ["task.created"])
    client.force_login(cco_staff)
    page = client.get(reverse("admin:integrations_webhooksubscription_change", args=[subscription.pk]))
    assert page.status_code == 200 and SECRET not in page.content.decode()
    listing = client.get(reverse("admin:integrations_webhooksubscription_changelist"))
    assert SECRET not in listing.content.decode()


def test_payload_documents_match(department, peer_server):
    """The body is the documented envelope: id, event, occurred_at, data."""
    peer = Peer()
    subscription = _subscribe(peer_server(peer), ["task.created"])
    _task(department)
    webhooks_deliver(subscription_id=subscription.pk)
    body = json.loads(peer.received[0].body)
    assert sorted(body) == ["data", "event", "id", "occurred_at"]
