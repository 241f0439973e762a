"""The demo's findings as CCO staff see them: duplicate spending, a faded task force, a pay conflict;
and an owner's accountability report, on a desktop and on a phone.

The screenshots (test-artifacts/screenshots/demo-*.png) are the pictures of the issue's closing note.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accountability.scorecards.services import scorecards_compute_period
from core.periods import current_periods
from demo.people import DEMO_PASSWORD
from roadmap.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cco_staff_see_the_demo_findings(page, shoot, live_server):
    call_command("demo_data", "--no-progress", "--no-history", stdout=StringIO(), stderr=StringIO())
    for period in current_periods():  # the department page with its scorecard (and its participation line)
        scorecards_compute_period(period=period)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "cco")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(f"{live_server.url}/admin/review/budget/")
    duplicates = page.locator("#duplicate-table tr.duplicate").all_inner_texts()
    assert any("Callback squad" in row and "Retention desk" in row for row in duplicates)
    shoot("demo-duplicate-spending")

    force = Initiative.objects.get(title="Win back lapsed customers")
    page.goto(f"{live_server.url}/admin/review/initiative/{force.pk}/participation/")
    assert "faded" in page.inner_text("#participation")
    shoot("demo-task-force-fading")

    page.goto(f"{live_server.url}/admin/review/department/service/")
    assert "pull against each other" in page.inner_text(".conflict")
    shoot("demo-pay-conflict")
    assert "Participation" in page.inner_text("#content")

    owen = get_user_model().objects.get(username="owner")
    page.goto(f"{live_server.url}/admin/review/owner/{owen.pk}/")
    assert "Say/do rate" in page.inner_text("#figures")
    assert "Win back lapsed customers" in page.inner_text("#task-forces")
    shoot("demo-owner-report")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/review/owner/{owen.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    shoot("demo-owner-report-phone")
