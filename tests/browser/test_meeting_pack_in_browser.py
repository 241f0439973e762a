"""The meeting pack on demo data, as CCO staff open it before a review: on a laptop and on a phone.

The screenshots (test-artifacts/screenshots/meeting-pack-<department>.png, and -phone) are the
pictures of issue 14's closing note.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.people import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
QUESTIONS = ["Which customers did Service lose, and why?", "Why were Service's hand-offs late?"]


def test_cco_staff_open_the_service_pack_and_the_companys_on_a_laptop_and_a_phone(page, shoot, live_server):
    call_command("demo_data", "--no-progress", stdout=StringIO(), stderr=StringIO())
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "cco")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(f"{live_server.url}/admin/review/department/service/")
    page.click("#meeting-pack")
    text = page.inner_text(".review")
    assert all(question in text for question in QUESTIONS)
    assert "customers lost in" in page.inner_text("#lost")
    shoot("meeting-pack-service")

    page.goto(f"{live_server.url}/admin/review/")
    page.click("#meeting-pack")
    assert "Customers in (gained)" in page.inner_text("#opening")
    assert "no owner" in page.inner_text("#top-loss-reasons")
    shoot("meeting-pack-company")

    with page.expect_download() as download:
        page.click("#pack-pdf")
    assert download.value.suggested_filename.startswith("meeting-pack-company-")

    page.set_viewport_size(PHONE)
    for slug in ("service", "company"):
        path = "" if slug == "company" else f"{slug}/"
        page.goto(f"{live_server.url}/admin/review/meeting-pack/{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), slug
        shoot(f"meeting-pack-{slug}-phone")
