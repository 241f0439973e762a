"""The demo's findings as CCO staff see them: duplicate spending, a faded task force, a pay conflict.

The screenshots (test-artifacts/screenshots/demo-*.png) are the pictures of the issue's closing note.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.people import DEMO_PASSWORD
from roadmap.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cco_staff_see_the_demo_findings(page, shoot, live_server):
    call_command("demo_data", "--no-progress", "--no-history", stdout=StringIO(), stderr=StringIO())
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
