"""The demo's issue-14 story: proposals sent back, loss reasons without work, initiatives that did and
did not move their metrics, and a meeting pack for every department."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accountability.scorecards.follow_through import did_not_move_latest, follow_through_many
from core.periods import Period
from org.models import Department
from roadmap.models import Initiative, InitiativeDecision
from roadmap.selectors import loss_reasons_unaddressed
from tests.demo.conftest import NOW, demo_built_once

demo_output = demo_built_once("--no-history")  # built once for this module's tests
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


@pytest.fixture(autouse=True)
def _frozen(frozen_now):
    return frozen_now


def test_proposals_were_sent_back_and_some_top_loss_reasons_have_no_work():
    sent_back = Initiative.objects.filter(proposal=Initiative.Proposal.SENT_BACK)
    assert sent_back.exists()
    decision = InitiativeDecision.objects.filter(initiative__in=sent_back, action="sent_back").first()
    assert decision is not None and decision.reason.strip()
    assert Initiative.objects.filter(proposal=Initiative.Proposal.PROPOSED).exists()
    assert Initiative.objects.filter(proposal=Initiative.Proposal.DRAFT).exists()

    # Some top loss reasons have no active initiative, others do.
    quarter = Period.containing(NOW.date())
    unaddressed = loss_reasons_unaddressed(start=quarter.start, end=quarter.end)
    assert unaddressed, "a top loss reason without work"
    addressed = Initiative.objects.filter(
        proposal=Initiative.Proposal.APPROVED, status=Initiative.Status.ACTIVE, loss_reasons__isnull=False
    )
    assert addressed.exists()


def test_initiatives_did_and_did_not_move_and_every_department_has_a_meeting_pack(client):
    done = list(Initiative.objects.filter(status=Initiative.Status.DONE, expectations__isnull=False).distinct())
    results = follow_through_many(initiatives=done)
    assert any(any(m.moved for m in r.metrics) for r in results), "one that moved"
    assert did_not_move_latest()[0], "one that did not move"

    # Every department has a meeting pack, and so has the company.
    client.force_login(get_user_model().objects.get(username="cco"))
    for department in Department.objects.all():
        response = client.get(reverse("admin:review_meeting_pack_department", args=[department.slug]))
        assert response.status_code == 200, department.slug
    assert client.get(reverse("admin:review_meeting_pack")).status_code == 200
