"""A head's proposal, end to end in a real headless Chromium: drafted, refused without a case,
completed, proposed, sent back by CCO staff with a reason, fixed, proposed again, approved, and
on the roadmap grid."""

import pytest

from roadmap.models import Initiative
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pieces(db, monkeypatch):
    monkeypatch.setattr("roadmap.proposals.publish", lambda name, **kwargs: True)  # no broker in this test
    return {
        "roadmap": factories.RoadmapFactory(name="FY2026 customer roadmap"),
        "segment": factories.CustomerSegmentFactory(name="Strategic"),
        "reason": factories.LossReasonFactory(name="Billing error"),
        "metric": factories.MetricFactory(code="invoice-accuracy", name="Invoice accuracy", unit="%"),
    }


def _switch(page, login, user):
    page.context.clear_cookies()
    login(user)


def _messages(page) -> str:
    return page.inner_text("ul.messagelist")


def test_a_head_proposes_cco_staff_send_it_back_then_approve_it(
    page, login, shoot, head, cco_staff, pieces, live_server
):
    login(head)
    page.goto(f"{live_server.url}/admin/roadmap/initiative/add/")
    page.select_option("#id_roadmap", str(pieces["roadmap"].pk))
    page.fill("#id_title", "Invoices in plain words")
    page.fill("#id_outcome", "Half the billing complaints.")
    page.select_option("#id_owner", str(cco_staff.pk))
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2026-12-31")
    page.click("input[name=_continue]")
    page.click("text=Propose to CCO staff")
    assert "the loss reasons it addresses" in _messages(page)
    assert "the yearly profit at stake" in _messages(page)
    shoot("proposal-01-refused-without-a-case")

    page.select_option("#id_loss_reasons_from", str(pieces["reason"].pk))
    page.click("#id_loss_reasons_add")
    page.fill("#id_profit_at_stake", "240000")
    page.select_option("#id_segment_links-0-segment", str(pieces["segment"].pk))
    page.fill("#id_segment_links-0-customers", "120")
    page.select_option("#id_expectations-0-metric", str(pieces["metric"].pk))
    page.fill("#id_expectations-0-expected_value", "98")
    page.fill("#id_expectations-0-by_date", "2026-06-30")
    page.click("input[name=_continue]")
    page.click("text=Propose to CCO staff")
    assert "Proposed to CCO staff" in _messages(page)

    _switch(page, login, cco_staff)
    page.click("text=Scorecard dashboard")
    page.click("#proposals-waiting")
    page.click("text=Invoices in plain words")
    page.click("text=Send back…")
    page.fill("#id_reason", "Which strategic customers? Name them.")
    page.click("input[type=submit][value='Send back']")
    assert "Sent back" in _messages(page)

    _switch(page, login, head)
    initiative = Initiative.objects.get(title="Invoices in plain words")
    page.goto(f"{live_server.url}/admin/roadmap/initiative/{initiative.pk}/change/")
    assert "Which strategic customers? Name them." in page.inner_text(".cco-decisions")
    shoot("proposal-02-sent-back-seen-by-the-head")
    page.fill("#id_segment_links-0-customers", "35")
    page.click("input[name=_continue]")
    page.click("text=Propose to CCO staff")

    _switch(page, login, cco_staff)
    page.goto(f"{live_server.url}/admin/roadmap/initiative/{initiative.pk}/change/")
    page.click("button:has-text('Approve')")
    assert "is on the roadmap" in _messages(page)
    page.goto(f"{live_server.url}/admin/review/roadmap/?roadmap={pieces['roadmap'].pk}")
    assert "Invoices in plain words" in page.inner_text("body")
    shoot("proposal-03-approved-on-the-grid")
