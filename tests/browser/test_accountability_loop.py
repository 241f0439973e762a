"""The accountability loop in Chromium: an owner's home, a check-in, a slip; the head approves; the executive sees it.

Then the same owner does it again on a 390-px phone, without the page scrolling sideways.
"""

import datetime as dt

import pytest

from accountability.scorecards.services import scorecards_compute_period
from core.periods import Period
from roadmap.models import CheckIn, Slip, Task
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def loop(department, other_department, owner):
    """The owner's overdue task that Billing waits on, and a second one for the phone."""
    today = dt.date.today()
    initiative = factories.InitiativeFactory(
        title="Faster refunds", start_date=dt.date(2020, 1, 1), end_date=dt.date(2035, 12, 31)
    )
    quiet = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    refund = factories.TaskFactory(
        initiative=initiative, department=department, owner=owner, title="Refund backlog",
        due_date=today - dt.timedelta(days=2), status="in_progress", status_changed_at=quiet,
    )  # fmt: skip
    waiting = factories.TaskFactory(
        initiative=initiative, department=other_department, title="Ship the billing fix", status="in_progress",
        due_date=today + dt.timedelta(days=20),
    )  # fmt: skip
    waiting.depends_on.add(refund)
    calls = factories.TaskFactory(
        initiative=initiative, department=department, owner=owner, title="Call list",
        due_date=today - dt.timedelta(days=1), status="in_progress", status_changed_at=quiet,
    )  # fmt: skip
    return {"refund": refund, "calls": calls, "today": today}


def log_out(page):
    page.context.clear_cookies()


def check_in_and_slip(page, task, *, percent: str, note: str, to_date: dt.date, reason: str):
    """On the task page: post a check-in, then move the due date with a reason."""
    page.get_by_role("link", name=task.title).first.click()
    page.wait_for_selector("#id_due_date")
    page.fill("#id_check_ins-0-percent_complete", percent)
    page.fill("#id_check_ins-0-note", note)
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    assert CheckIn.objects.filter(task=task, note=note).exists()
    page.fill("#id_due_date", to_date.isoformat())
    page.fill("#id_slip_reason", reason)
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist li.warning")
    assert "waits for the head" in page.inner_text("ul.messagelist")


def test_owner_slips_head_approves_executive_sees_it_and_the_owner_does_it_again_on_a_phone(
    page, login, shoot, live_server, owner, head, executive, cco_staff, department, loop
):
    refund, today = loop["refund"], loop["today"]

    # The owner's home: the overdue task, and who waits on it.
    login(owner)
    assert "Refund backlog" in page.inner_text("#my-tasks") and "overdue" in page.inner_text("#my-tasks")
    blocking = page.inner_text("#hand-offs-i-block")
    assert "Refund backlog" in blocking and "Ship the billing fix" in blocking and "late" in blocking
    assert "Refund backlog" in page.inner_text("#check-ins-owed")
    shoot("home-owner")

    # A check-in, then the due date moved three weeks with a reason: it waits for the head.
    new_date = today + dt.timedelta(days=21)
    check_in_and_slip(page, refund, percent="40", note="Half the refunds done.", to_date=new_date,
                      reason="The payment provider's export is late.")  # fmt: skip
    assert "Waiting for the head" in page.inner_text("#slips-group")
    shoot("task-slip-pending")
    refund.refresh_from_db()
    assert refund.due_date == today - dt.timedelta(days=2) and refund.percent_complete == 40

    # The head approves it from their home page.
    log_out(page)
    login(head)
    assert "The payment provider" in page.inner_text("#slips-to-decide")
    shoot("home-head")
    page.click("#slips-to-decide button[value=approve]")
    page.wait_for_selector("ul.messagelist")
    assert f"is now due {new_date.isoformat()}" in page.inner_text("ul.messagelist")
    refund.refresh_from_db()
    assert (refund.due_date, refund.slip_count) == (new_date, 1)

    # The sweep recomputes the period (no worker here); the executive sees the slip on the scorecard.
    period = Period.containing(refund.promised_date)
    scorecards_compute_period(period=period)
    log_out(page)
    login(executive)
    shoot("home-executive")
    page.goto(f"{live_server.url}/admin/review/department/{department.slug}/?period={period}")
    say_do = page.locator("#lines tr.part-say_do")
    assert "Say/do" in say_do.inner_text()
    say_do.locator("summary").click()
    assert "Slips 1" in say_do.inner_text()
    shoot("department-scorecard-say-do")
    page.click("#slips")
    assert "The payment provider" in page.inner_text(".slips")
    shoot("slips-report")

    log_out(page)
    login(cco_staff)
    shoot("home-cco-staff")

    # The owner again, on a phone: home, check-in, slip, without the page scrolling sideways.
    log_out(page)
    page.set_viewport_size(PHONE)
    login(owner)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert "Call list" in page.inner_text("#my-tasks")
    shoot("home-owner-phone")
    calls = loop["calls"]
    check_in_and_slip(page, calls, percent="10", note="Started calling.", to_date=today + dt.timedelta(days=30),
                      reason="Half the team is out sick.")  # fmt: skip
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shoot("task-phone")
    assert Slip.objects.get(task=calls).status == Slip.Status.PENDING
    assert Task.objects.get(pk=calls.pk).due_date == today - dt.timedelta(days=1)
    page.goto(f"{live_server.url}/admin/roadmap/task/?show=mine")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shoot("task-list-phone")
    page.goto(f"{live_server.url}/admin/review/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    shoot("dashboard-phone")
