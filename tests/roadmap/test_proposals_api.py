"""The proposal workflow through the API: a head drafts and proposes, CCO staff send back and approve."""

import pytest

from roadmap.models import Initiative, InitiativeDecision
from roadmap.proposals import CASE_MISSING
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """What the roadmap asked the floor above to tell (by name, on commit)."""
    sent = []
    monkeypatch.setattr("roadmap.proposals.publish", lambda name, **kwargs: sent.append((name, kwargs)))
    return sent


@pytest.fixture
def pieces(db):
    return {
        "segment": factories.CustomerSegmentFactory(name="Strategic"),
        "reason": factories.LossReasonFactory(name="Billing error"),
        "metric": factories.MetricFactory(code="first-contact-resolution", unit="%"),
        "roadmap": factories.RoadmapFactory(),
    }


def _draft(client, pieces, owner):
    body = {
        "roadmap": pieces["roadmap"].pk,
        "title": "Bills customers understand",
        "outcome": "Fewer billing complaints.",
        "owner": owner.pk,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
    }
    response = client.post("/api/v1/initiatives/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def _complete(client, pk, pieces):
    case = {
        "segments": [{"segment": pieces["segment"].pk, "customers": 40}],
        "loss_reasons": [pieces["reason"].pk],
        "expectations": [{"metric": pieces["metric"].pk, "expected_value": "80", "by_date": "2026-06-30"}],
        "profit_at_stake": "120000",
    }
    response = client.patch(f"/api/v1/initiatives/{pk}/", case, format="json")
    assert response.status_code == 200, response.json()


def test_a_head_drafts_proposes_is_sent_back_proposes_again_and_is_approved(
    pieces, head, cco_staff, published, django_capture_on_commit_callbacks
):
    mine, cco = token_client(head), token_client(cco_staff)
    pk = _draft(mine, pieces, cco_staff)
    refused = mine.post(f"/api/v1/initiatives/{pk}/propose/")
    assert refused.status_code == 400
    assert set(refused.json()) == set(CASE_MISSING)  # each missing part is named
    assert "the loss reasons it addresses" in refused.json()["loss_reasons"][0]
    assert not InitiativeDecision.objects.exists()

    _complete(mine, pk, pieces)
    assert mine.post(f"/api/v1/initiatives/{pk}/propose/").json()["proposal"] == "proposed"
    assert mine.patch(f"/api/v1/initiatives/{pk}/", {"title": "Changed"}, format="json").status_code == 403

    assert cco.post(f"/api/v1/initiatives/{pk}/send-back/", {"reason": " "}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        sent_back = cco.post(f"/api/v1/initiatives/{pk}/send-back/", {"reason": "Which customers?"}, format="json")
    assert sent_back.status_code == 200 and sent_back.json()["proposal"] == "sent_back"
    assert mine.patch(f"/api/v1/initiatives/{pk}/", {"title": "Changed"}, format="json").status_code == 200

    assert mine.post(f"/api/v1/initiatives/{pk}/propose/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        approved = cco.post(f"/api/v1/initiatives/{pk}/approve/")
    assert (approved.json()["proposal"], approved.json()["status"]) == ("approved", "active")

    steps = mine.get(f"/api/v1/initiatives/{pk}/decisions/").json()
    assert [(s["action"], s["by"], s["reason"]) for s in steps] == [
        ("approved", cco_staff.pk, ""),
        ("proposed", head.pk, ""),
        ("sent_back", cco_staff.pk, "Which customers?"),
        ("proposed", head.pk, ""),
    ]
    assert all(s["proposer"] == head.pk for s in steps)
    told = [kwargs["decision_id"] for _name, kwargs in published]
    assert told == [steps[2]["id"], steps[0]["id"]]  # the sending back and the approval, once each
    assert {name for name, _ in published} == {"accountability.proposal_decision_tell"}


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_only_cco_staff_approve_or_send_back(pieces, role, head, owner, executive, published):
    initiative = factories.InitiativeFactory(proposal=Initiative.Proposal.PROPOSED, roadmap=pieces["roadmap"])
    client = token_client({"head": head, "owner": owner, "executive": executive}[role])
    assert client.post(f"/api/v1/initiatives/{initiative.pk}/approve/").status_code == 403
    response = client.post(f"/api/v1/initiatives/{initiative.pk}/send-back/", {"reason": "No"}, format="json")
    assert response.status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).proposal == "proposed"
    assert not InitiativeDecision.objects.exists() and not published


def test_a_head_cannot_propose_or_change_another_persons_draft(pieces, head, other_head, cco_staff):
    pk = _draft(token_client(other_head), pieces, cco_staff)
    assert token_client(head).post(f"/api/v1/initiatives/{pk}/propose/").status_code == 403
    assert token_client(head).patch(f"/api/v1/initiatives/{pk}/", {"title": "X"}, format="json").status_code == 403


def test_an_approved_initiative_cannot_be_approved_or_proposed_again(cco_staff, published):
    initiative = factories.InitiativeFactory()  # approved, on the roadmap
    client = token_client(cco_staff)
    response = client.post(f"/api/v1/initiatives/{initiative.pk}/approve/")
    assert response.status_code == 400
    assert "Only a proposed initiative can be approved or sent back (this one is approved)." in str(response.json())
    assert client.post(f"/api/v1/initiatives/{initiative.pk}/propose/").status_code == 400
    assert not published


def test_task_owners_and_executives_cannot_draft(pieces, owner, executive, cco_staff):
    for user in (owner, executive):
        body = {"roadmap": pieces["roadmap"].pk, "title": "T", "outcome": "O", "owner": cco_staff.pk}
        body |= {"start_date": "2026-01-01", "end_date": "2026-02-01"}
        assert token_client(user).post("/api/v1/initiatives/", body, format="json").status_code == 403
    assert not Initiative.objects.exists()
