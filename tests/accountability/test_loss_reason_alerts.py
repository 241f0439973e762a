"""Every top loss reason owned and worked on: the alert for a top-five reason with no active initiative.

Hand-made quarter (2026-Q2): six reasons lose 60, 50, 40, 30, 20 and 10 customers. "Price" (the
largest) has an approved, active initiative; "Service failure" one only drafted; "Billing error"
has no accountable department; "Fax" is sixth, outside the top five.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from roadmap.models import Initiative
from tests import factories
from tests.accountability.reminder_helpers import at, d, sweep

pytestmark = pytest.mark.django_db

ALERT = "loss_reason_alert"


@pytest.fixture
def quarter(department, other_department, head, cco_staff):
    reasons = {}
    for name, lost, owner in [
        ("Price", 60, department),
        ("Service failure", 50, department),
        ("Moved to competitor", 40, other_department),
        ("Billing error", 30, None),
        ("Product gap", 20, other_department),
        ("Fax", 10, department),
    ]:
        reason = factories.LossReasonFactory(name=name, department=owner)
        factories.CustomerMovementFactory(
            kind="lost", loss_reason=reason, count=lost, profit=lost * 1000, date=d(4, 10), department=owner
        )
        reasons[name] = reason
    # One CCO staff member owns them all: each is told once.
    active = factories.InitiativeFactory(title="Fair prices", status=Initiative.Status.ACTIVE, owner=cco_staff)
    active.loss_reasons.add(reasons["Price"])
    draft = factories.DraftInitiativeFactory(title="Better service", owner=cco_staff)
    draft.loss_reasons.add(reasons["Service failure"])
    done = factories.InitiativeFactory(title="Old fix", status=Initiative.Status.DONE, owner=cco_staff)
    done.loss_reasons.add(reasons["Product gap"])
    return reasons


def test_each_unaddressed_top_five_reason_alerts_cco_staff_and_its_head_once_per_quarter(
    quarter, head, other_head, cco_staff
):
    r = quarter
    first = sweep(2026, 5, 10, 9)
    alerts = {(key, user) for kind, key, user, for_date in first if kind == ALERT}
    assert alerts == {
        (f"loss_reason:{r['Service failure'].pk}", cco_staff.username),
        (f"loss_reason:{r['Service failure'].pk}", head.username),
        (f"loss_reason:{r['Moved to competitor'].pk}", cco_staff.username),
        (f"loss_reason:{r['Moved to competitor'].pk}", other_head.username),
        (f"loss_reason:{r['Billing error'].pk}", cco_staff.username),  # no owner: CCO staff only
        (f"loss_reason:{r['Product gap'].pk}", cco_staff.username),  # its only initiative is done
        (f"loss_reason:{r['Product gap'].pk}", other_head.username),
    }
    assert {for_date for kind, *_, for_date in first if kind == ALERT} == {d(4, 1)}  # the quarter's
    assert not [m for m in sweep(2026, 5, 10, 9) if m[0] == ALERT]  # a second beat at the same instant
    assert not [m for m in sweep(2026, 6, 29, 9) if m[0] == ALERT]  # later in the same quarter


def test_a_new_quarter_alerts_again(quarter, cco_staff):
    sweep(2026, 5, 10, 9)
    factories.CustomerMovementFactory(kind="lost", loss_reason=quarter["Billing error"], count=5, date=d(7, 2))
    new = [m for m in sweep(2026, 7, 3, 9) if m[0] == ALERT]
    assert new == [(ALERT, f"loss_reason:{quarter['Billing error'].pk}", cco_staff.username, d(7, 1))]


def test_the_alert_email_names_the_reason_its_cost_and_no_owner(quarter, cco_staff):
    sweep(2026, 5, 10, 9)
    billing = Message.objects.get(subject_key=f"loss_reason:{quarter['Billing error'].pk}")
    with at(2026, 5, 10, 9, 5):
        messages_deliver(message_ids=[billing.pk])
    (email,) = mail.outbox
    assert email.subject == "No active initiative: Billing error, a top loss reason of 2026-Q2"
    assert "(30 customers, 30,000.00 yearly profit lost)" in email.body
    assert "Accountable department: no owner" in email.body


def test_the_dashboard_shows_top_reasons_with_owner_profit_and_work(client, quarter, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q2"}).content.decode()
    table = page[page.index('id="loss-reasons"') :]
    table = table[: table.index("</table>")]
    assert table.count('class="loss-reason') == 5  # the top five
    assert "Fax" not in table
    assert "Fair prices" in table and "Better service" not in table
    assert table.count("no active initiative") == 4
    assert table.count("no owner") == 1
    assert "£60,000.00" in table or "60,000.00" in table


def test_the_cco_digest_lists_the_top_reasons_with_owner_and_work(quarter, cco_staff):
    sweep(2026, 5, 11, 8, digests=True)  # Monday, 08:00
    digest = Message.objects.get(kind="cco_digest")
    with at(2026, 5, 11, 8, 5):
        messages_deliver(message_ids=[digest.pk])
    (email,) = mail.outbox
    assert "- Price: 60 customers, 60,000.00 profit lost; accountable: " in email.body
    assert "active initiatives: Fair prices" in email.body
    assert "- Billing error: 30 customers, 30,000.00 profit lost; accountable: no owner; active initiatives: NONE" in (
        email.body
    )


def test_a_lost_customer_of_the_quarter_changes_the_dashboard_without_more_queries(
    client, quarter, executive, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(executive)
    url = reverse("admin:review_dashboard") + "?period=2026-Q2"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(5):
        reason = factories.LossReasonFactory(name=f"Extra {n}")
        factories.CustomerMovementFactory(kind="lost", loss_reason=reason, count=70 + n, date=dt.date(2026, 4, 5))
        factories.InitiativeFactory(status=Initiative.Status.ACTIVE).loss_reasons.add(reason)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
