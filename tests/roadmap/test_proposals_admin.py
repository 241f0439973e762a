"""The proposal workflow in the admin: a head drafts and proposes, CCO staff send back and approve."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from roadmap.models import Initiative
from roadmap.selectors import proposals_sent_back, proposals_waiting
from tests import factories
from tests.admin_world import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def pieces(db):
    return {
        "segment": factories.CustomerSegmentFactory(name="Strategic"),
        "reason": factories.LossReasonFactory(name="Billing error"),
        "metric": factories.MetricFactory(code="first-contact-resolution", unit="%"),
        "roadmap": factories.RoadmapFactory(),
    }


def _change(pk):
    return reverse("admin:roadmap_initiative_change", args=[pk])


def _messages(response):
    """The messages shown on this page, without those left over from saves whose redirect was not followed."""
    return [str(m) for m in response.context["messages"] if "successfully" not in str(m)]


def _head_drafts(client, head, cco_staff, pieces):
    client.force_login(head)
    add = reverse("admin:roadmap_initiative_add")
    data = form_data(client.get(add), roadmap=pieces["roadmap"].pk, title="Bills customers understand")
    data |= {"outcome": "Fewer billing complaints.", "owner": cco_staff.pk}
    data |= {"start_date": "2026-01-01", "end_date": "2026-12-31", "status": "planned", "health": "green"}
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Initiative.objects.get(title="Bills customers understand")


def _complete_case(client, initiative, pieces, expected="80"):
    page = client.get(_change(initiative.pk))
    data = form_data(page, loss_reasons=[str(pieces["reason"].pk)], profit_at_stake="120000")
    data |= {"segment_links-0-segment": pieces["segment"].pk, "segment_links-0-customers": "40"}
    data |= {"expectations-0-metric": pieces["metric"].pk, "expectations-0-expected_value": expected}
    data |= {"expectations-0-by_date": "2026-06-30"}
    return client.post(_change(initiative.pk), data)


def test_a_head_drafts_fails_to_propose_completes_the_case_and_proposes(client, head, cco_staff, pieces):
    initiative = _head_drafts(client, head, cco_staff, pieces)
    assert (initiative.proposal, initiative.drafted_by) == ("draft", head)
    refused = client.post(reverse("admin:roadmap_initiative_propose", args=[initiative.pk]), follow=True)
    (message,) = _messages(refused)
    assert "the segments it affects and how many customers" in message
    assert "the yearly profit at stake" in message
    assert Initiative.objects.get(pk=initiative.pk).proposal == "draft"

    assert _complete_case(client, initiative, pieces).status_code == 302
    proposed = client.post(reverse("admin:roadmap_initiative_propose", args=[initiative.pk]), follow=True)
    assert _messages(proposed) == ["Proposed to CCO staff: “Bills customers understand”."]
    initiative.refresh_from_db()
    assert initiative.proposal == "proposed"
    assert list(initiative.metrics.all()) == [pieces["metric"]]
    assert client.get(_change(initiative.pk)).context["has_change_permission"] is False  # no longer the head's


def test_an_expected_value_outside_the_metrics_range_is_a_form_error(client, head, cco_staff, pieces):
    initiative = _head_drafts(client, head, cco_staff, pieces)
    response = _complete_case(client, initiative, pieces, expected="180")
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][1].formset.errors)
    assert "180 is outside the range of First Contact Resolution: 0 to 100." in errors
    assert not initiative.expectations.exists() and not initiative.segment_links.exists()


def test_cco_staff_send_back_with_a_reason_the_head_sees_then_approve(client, head, cco_staff, pieces, monkeypatch):
    monkeypatch.setattr("roadmap.proposals.publish", lambda name, **kwargs: None)
    initiative = _head_drafts(client, head, cco_staff, pieces)
    _complete_case(client, initiative, pieces)
    client.post(reverse("admin:roadmap_initiative_propose", args=[initiative.pk]))

    client.force_login(cco_staff)
    page = client.get(_change(initiative.pk))
    assert page.context["may_decide"] and b"Send back" in page.content
    assert list(proposals_waiting(cco_staff)) == [initiative]
    send_back = reverse("admin:roadmap_initiative_send_back", args=[initiative.pk])
    empty = client.post(send_back, {"reason": ""})
    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    client.post(send_back, {"reason": "Which customers, and how many?"})
    assert Initiative.objects.get(pk=initiative.pk).proposal == "sent_back"

    (back,) = proposals_sent_back(head)
    assert back.sent_back_reason == "Which customers, and how many?"
    html = render_to_string("admin/roadmap/_proposals_waiting.html", {"sent_back": [back]})
    assert "Which customers, and how many?" in html

    client.force_login(head)
    client.post(reverse("admin:roadmap_initiative_propose", args=[initiative.pk]))
    client.force_login(cco_staff)
    approved = client.post(reverse("admin:roadmap_initiative_approve", args=[initiative.pk]), follow=True)
    assert _messages(approved)[-1:] == [
        "Approved: “Bills customers understand” is on the roadmap, and its proposer is told."
    ]
    grid = client.get(reverse("admin:review_roadmap"), {"roadmap": pieces["roadmap"].pk})
    assert "Bills customers understand" in grid.content.decode()
    history = client.get(_change(initiative.pk)).content.decode()
    assert "Sent back by cco. Which customers, and how many?" in history


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_only_cco_staff_approve_or_send_back_in_the_admin(client, role, head, owner, executive, pieces):
    initiative = factories.InitiativeFactory(proposal=Initiative.Proposal.PROPOSED)
    client.force_login({"head": head, "owner": owner, "executive": executive}[role])
    assert client.post(reverse("admin:roadmap_initiative_approve", args=[initiative.pk])).status_code == 403
    send_back = reverse("admin:roadmap_initiative_send_back", args=[initiative.pk])
    assert client.post(send_back, {"reason": "No"}).status_code == 403
    assert Initiative.objects.get(pk=initiative.pk).proposal == "proposed"
    assert not proposals_waiting({"head": head, "owner": owner, "executive": executive}[role]).exists()


def test_a_draft_is_not_on_the_roadmap_grid(client, cco_staff):
    draft = factories.DraftInitiativeFactory(title="Still a draft")
    client.force_login(cco_staff)
    grid = client.get(reverse("admin:review_roadmap"), {"roadmap": draft.roadmap.pk})
    assert "Still a draft" not in grid.content.decode()


def test_the_proposals_waiting_list_takes_two_queries_for_one_or_many(cco_staff, django_assert_num_queries):
    factories.InitiativeFactory(proposal=Initiative.Proposal.PROPOSED)
    for size in (1, 6):
        while Initiative.objects.count() < size:
            factories.InitiativeFactory(proposal=Initiative.Proposal.PROPOSED)
        with django_assert_num_queries(2):  # the user's groups, then the proposals with their roadmap and people
            html = render_to_string(
                "admin/roadmap/_proposals_waiting.html", {"proposals": list(proposals_waiting(cco_staff))}
            )
        assert html.count("<li>") == size
        cco_staff = type(cco_staff).objects.get(pk=cco_staff.pk)  # a fresh user: roles are cached per object


def test_the_dashboard_links_cco_staff_to_the_proposals_waiting(client, cco_staff, executive):
    client.force_login(cco_staff)
    assert b'id="proposals-waiting"' in client.get(reverse("admin:review_dashboard")).content
    client.force_login(executive)
    assert b'id="proposals-waiting"' not in client.get(reverse("admin:review_dashboard")).content
