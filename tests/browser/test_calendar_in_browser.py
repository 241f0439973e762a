"""The calendar link from the home page, on a phone: made, subscribed to (fetched and parsed),
revoked."""

import datetime as dt

import pytest
from icalendar import Calendar

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_an_owner_makes_subscribes_to_and_revokes_their_calendar_link(page, live_server, login, shoot, settings):
    settings.SITE_URL = live_server.url
    department = factories.DepartmentFactory(name="Service", slug="service")
    owner = factories.TaskOwnerFactory(username="owner")
    department.members.add(owner)
    task = factories.TaskFactory(
        department=department, owner=owner, title="Refund backlog", due_date=dt.date(2030, 6, 3)
    )
    page.set_viewport_size(PHONE)
    login(owner)
    page.click("#calendar-link a")
    page.click("text=Make my calendar link")
    url = page.inner_text("#calendar-url")
    shoot("calendar-link-phone")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    feed = page.request.get(url)
    assert feed.status == 200
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [(str(e["UID"]).split("@")[0], e.decoded("DTSTART")) for e in events] == [
        (f"task-{task.pk}", dt.date(2030, 6, 3))
    ]

    page.goto(f"{live_server.url}/admin/calendar/")
    assert url not in page.content()  # shown once
    page.click("text=Revoke my link")
    page.wait_for_selector("text=Your calendar link was revoked")
    assert page.request.get(url).status == 404
