"""Each service of the lower floors records its event for the subscribers (and only for them)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from integrations.models import WebhookDelivery, WebhookEvent
from integrations.webhooks.deliver import webhooks_deliver
from roadmap.models import Initiative, InitiativeDecision
from roadmap.proposals import initiative_approve, initiative_send_back
from roadmap.services import task_update
from roadmap.slips import slip_approve
from tests import factories

ALL = [
    "task.changed",
    "slip.requested",
    "slip.approved",
    "initiative.approved",
    "initiative.sent_back",
    "scorecard.computed",
]


def _proposed(proposer) -> Initiative:
    initiative = factories.InitiativeFactory(proposal=Initiative.Proposal.PROPOSED)
    InitiativeDecision.objects.create(
        initiative=initiative, action="proposed", by=proposer, proposer=proposer, at=timezone.now()
    )
    return initiative


def _names() -> list[str]:
    return list(WebhookEvent.objects.order_by("id").values_list("name", flat=True))


def test_slips_decisions_and_scorecards_record_their_events(department, cco_staff):
    factories.WebhookSubscriptionFactory(events=ALL)
    factories.WebhookSubscriptionFactory(events=["scorecard.computed"])
    slip = factories.SlipFactory(task__department=department)
    slip_approve(slip=slip, by=department.head)
    initiative_approve(initiative=_proposed(department.head), by=cco_staff)
    initiative_send_back(initiative=_proposed(department.head), by=cco_staff, reason="No case.")
    scorecard_compute(period=Period.parse("2026-Q1"), scope="department", department=department)

    assert _names() == ["slip.approved", "initiative.approved", "initiative.sent_back", "scorecard.computed"]
    sent_back = WebhookEvent.objects.get(name="initiative.sent_back").payload["decision"]
    assert (sent_back["action"], sent_back["reason"]) == ("sent_back", "No case.")
    assert WebhookDelivery.objects.filter(event__name="scorecard.computed").count() == 2  # both subscribers
    assert WebhookDelivery.objects.count() == 5


def test_a_slip_waiting_for_the_head_is_a_slip_requested_event(department):
    factories.WebhookSubscriptionFactory(events=["slip.requested"])
    task = factories.TaskFactory(
        department=department, status="in_progress", due_date=timezone.localdate() + dt.timedelta(days=10)
    )
    task_update(task=task, due_date=task.due_date + dt.timedelta(days=20), by=task.owner, slip_reason="Vendor late")
    assert _names() == ["slip.requested"]
    assert WebhookEvent.objects.get().payload["slip"]["reason"] == "Vendor late"


def test_an_inactive_subscription_gets_nothing(department):
    factories.WebhookSubscriptionFactory(events=["slip.approved"], active=False)
    slip_approve(slip=factories.SlipFactory(task__department=department), by=department.head)
    assert not WebhookEvent.objects.exists()


def test_the_secret_is_not_in_the_logs_of_a_refused_delivery(department, caplog):
    subscription = factories.WebhookSubscriptionFactory(events=["slip.approved"], url="http://127.0.0.1:9/nothing")
    slip_approve(slip=factories.SlipFactory(task__department=department), by=department.head)
    with caplog.at_level(logging.DEBUG):
        webhooks_deliver(subscription_id=subscription.pk)
    assert WebhookDelivery.objects.get().attempts == 1
    assert caplog.text and subscription.secret not in caplog.text


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
@pytest.mark.parametrize("model", ["webhooksubscription", "webhookdelivery", "chatchannel", "chatdelivery"])
def test_other_roles_get_403_on_the_integrations_admin(client, request, role, model):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"admin:integrations_{model}_changelist")).status_code == 403


@pytest.mark.parametrize("model", ["webhooksubscription", "webhookdelivery", "chatchannel", "chatdelivery"])
def test_integrations_changelists_run_the_same_queries_at_two_sizes(client, cco_staff, department, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cco_staff)
    url = reverse(f"admin:integrations_{model}_changelist")

    def grow(n: int) -> None:
        for _ in range(n):
            subscription = factories.WebhookSubscriptionFactory(events=["slip.approved"])
            slip_approve(slip=factories.SlipFactory(task__department=department), by=department.head)
            person = factories.UserFactory()
            message = factories.MessageFactory(task__department=department, recipient=person)
            from integrations.services import chat_channel_save

            channel = chat_channel_save(person=person, url="json://chat.example.org/hook")
            message.chat_deliveries.create(
                channel=channel, kind=message.kind, subject_key=message.subject_key, for_date=message.for_date
            )
            assert subscription.pk

    counts = []
    for size in (1, 4):
        grow(size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
