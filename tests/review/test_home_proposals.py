"""The home page shows CCO staff the proposals waiting on them, and a head the ones sent back to them."""

import pytest
from django.urls import reverse

from tests.roadmap.test_proposals_admin import _complete_case, _head_drafts, pieces  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
HOME = reverse("admin:index")


def test_a_proposal_waits_on_cco_staffs_home_page_and_comes_back_to_the_heads_with_the_reason(
    client,
    head,
    cco_staff,
    pieces,  # noqa: F811
):
    initiative = _head_drafts(client, head, cco_staff, pieces)
    _complete_case(client, initiative, pieces)
    client.post(reverse("admin:roadmap_initiative_propose", args=[initiative.pk]))

    client.force_login(cco_staff)
    page = client.get(HOME).content.decode()
    assert "Proposals waiting on you (1)" in page and "Bills customers understand" in page
    client.force_login(head)
    assert "Proposals waiting on you" not in client.get(HOME).content.decode()  # only CCO staff decide

    client.force_login(cco_staff)
    send_back = reverse("admin:roadmap_initiative_send_back", args=[initiative.pk])
    client.post(send_back, {"reason": "Which customers does it keep, and how many?"})
    assert "Proposals waiting on you" not in client.get(HOME).content.decode()
    client.force_login(head)
    page = client.get(HOME).content.decode()
    assert "Sent back to you (1)" in page and "Which customers does it keep, and how many?" in page
