"""The proposer is emailed once per approval or sending back, through the reminders' messages."""

import pytest
from django.core import mail

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.fanout import reminders_fan_out
from accountability.reminders.tasks import proposal_decision_tell_task
from roadmap.proposals import initiative_approve, initiative_propose, initiative_send_back
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(head, monkeypatch):
    monkeypatch.setattr("roadmap.proposals.publish", lambda name, **kwargs: None)
    initiative = factories.DraftInitiativeFactory(title="Bills customers understand", drafted_by=head)
    factories.InitiativeSegmentFactory(initiative=initiative)
    factories.InitiativeExpectationFactory(initiative=initiative)
    initiative.loss_reasons.add(factories.LossReasonFactory(name="Billing error"))
    initiative.profit_at_stake = 50000
    initiative.save()
    initiative_propose(initiative=initiative, by=head)
    return initiative


def test_a_sending_back_is_emailed_to_the_proposer_once_with_the_reason(proposed, head, cco_staff):
    decision = initiative_send_back(initiative=proposed, by=cco_staff, reason="Which customers, and how many?")
    proposal_decision_tell_task(decision.pk)
    proposal_decision_tell_task(decision.pk)  # the task delivered twice
    reminders_fan_out()  # and the sweep that catches up on decisions
    message = Message.objects.get()
    assert (message.kind, message.recipient, message.subject_key) == (
        "proposal_decision",
        head,
        f"decision:{decision.pk}",
    )
    messages_deliver(message_ids=[message.pk])
    messages_deliver(message_ids=[message.pk])
    (email,) = mail.outbox
    assert email.subject == "Sent back: your proposal “Bills customers understand” needs more work"
    assert "Why: Which customers, and how many?" in email.body
    assert "Which customers, and how many?" in email.alternatives[0].content


def test_an_approval_is_emailed_to_the_proposer_even_when_the_broker_lost_the_task(proposed, head, cco_staff):
    initiative_approve(initiative=proposed, by=cco_staff)
    assert reminders_fan_out().created == 1  # the sweep records what the task would have
    messages_deliver(message_ids=list(Message.objects.values_list("pk", flat=True)))
    (email,) = mail.outbox
    assert email.to == [head.email]
    assert email.subject == "Approved: your proposal “Bills customers understand” is on the roadmap"


def test_a_proposal_itself_is_told_to_nobody(proposed):
    reminders_fan_out()
    assert not Message.objects.exists()
