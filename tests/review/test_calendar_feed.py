"""The calendar feed: a private, revocable ICS link per person, parsed back with icalendar."""

import datetime as dt
import io
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from core.log_redaction import RedactSecretPaths
from org.calendar_feeds import calendar_feed_create
from org.models import CalendarFeed
from roadmap.models import Initiative, InitiativeDecision
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
PAGE = reverse("admin:review_calendar")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def feed_url(user) -> str:
    _feed, token = calendar_feed_create(user=user)
    return reverse("calendar-feed", args=[token])


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    for event in calendar.walk("VEVENT"):  # what RFC 5545 requires of every event
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_the_feed_parses_with_the_owners_tasks_as_all_day_due_dates(owner, department):
    task = factories.TaskFactory(
        department=department, owner=owner, title="Refund backlog", due_date=dt.date(2026, 6, 3)
    )
    found = events(Client().get(feed_url(owner)))
    event = found[f"task-{task.pk}"]
    assert str(event["SUMMARY"]) == "Due: Refund backlog"
    assert event.decoded("DTSTART") == dt.date(2026, 6, 3)  # a date, not a time: all day
    assert event.decoded("DTEND") == dt.date(2026, 6, 4)
    assert str(event["UID"]) == f"task-{task.pk}@127.0.0.1"
    assert str(event["URL"]).endswith(reverse("admin:roadmap_task_change", args=[task.pk]))
    assert event.decoded("DTSTAMP").tzinfo is not None and event.decoded("LAST-MODIFIED") == NOW


def test_another_persons_tasks_are_not_in_the_feed_but_a_heads_department_is(owner, head, department, other_department):
    mine = factories.TaskFactory(department=department, owner=owner)
    colleague = factories.TaskFactory(department=department)
    elsewhere = factories.TaskFactory(department=other_department)
    owners_feed = events(Client().get(feed_url(owner)))
    assert f"task-{mine.pk}" in owners_feed
    assert f"task-{colleague.pk}" not in owners_feed and f"task-{elsewhere.pk}" not in owners_feed
    heads_feed = events(Client().get(feed_url(head)))
    assert {f"task-{mine.pk}", f"task-{colleague.pk}"} <= set(heads_feed)
    assert f"task-{elsewhere.pk}" not in heads_feed


def test_the_feed_follows_a_date_change_with_the_same_uid_and_a_higher_sequence(frozen, head, department):
    task = factories.TaskFactory(department=department, owner=head, due_date=dt.date(2026, 6, 3))
    url = feed_url(head)
    before = events(Client().get(url))[f"task-{task.pk}"]
    frozen.shift(dt.timedelta(hours=2))
    response = token_client(head).patch(f"/api/v1/tasks/{task.pk}/", {"due_date": "2026-06-17"}, format="json")
    assert response.status_code == 200, response.content
    after = events(Client().get(url))[f"task-{task.pk}"]
    assert after["UID"] == before["UID"]
    assert after.decoded("DTSTART") == dt.date(2026, 6, 17)
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_meetings_of_pledged_initiatives_are_in_the_feed(owner, department):
    initiative = factories.InitiativeFactory(title="Faster refunds")
    factories.PledgeFactory(initiative=initiative, department=department, person=owner)
    meeting = factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 5, 4), title="Kick-off")
    unrelated = factories.MeetingFactory(date=dt.date(2026, 5, 5))
    found = events(Client().get(feed_url(owner)))
    assert str(found[f"meeting-{meeting.pk}"]["SUMMARY"]) == "Kick-off: Faster refunds"
    assert found[f"meeting-{meeting.pk}"].decoded("DTSTART") == dt.date(2026, 5, 4)
    assert f"meeting-{unrelated.pk}" not in found


def test_a_slip_waiting_for_the_head_is_at_its_time_in_the_heads_zone(head, owner, department):
    factories.ProfileFactory(user=head, time_zone="America/New_York")
    task = factories.TaskFactory(department=department, owner=owner, title="Survey")
    slip = factories.SlipFactory(task=task, moved_at=dt.datetime(2026, 5, 19, 14, 30, tzinfo=dt.UTC))
    response = Client().get(feed_url(head))
    event = events(response)[f"slip-{slip.pk}"]
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 5, 19, 10, 30, tzinfo=ZoneInfo("America/New_York"))
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert b"BEGIN:VTIMEZONE\r\nTZID:America/New_York" in response.content
    assert str(event["SUMMARY"]).startswith("Decide: move Survey")
    assert f"slip-{slip.pk}" not in events(Client().get(feed_url(owner)))  # the mover does not decide


def test_a_proposal_waiting_is_in_cco_staffs_feed_only(cco_staff, head):
    initiative = factories.InitiativeFactory(title="Loyalty desk", proposal=Initiative.Proposal.PROPOSED)
    decision = InitiativeDecision.objects.create(
        initiative=initiative, action=InitiativeDecision.Action.PROPOSED, by=head, at=NOW - dt.timedelta(hours=3)
    )
    event = events(Client().get(feed_url(cco_staff)))[f"proposal-{decision.pk}"]
    assert event.decoded("DTSTART") == (NOW - dt.timedelta(hours=3)).astimezone(ZoneInfo("Europe/London"))
    assert f"proposal-{decision.pk}" not in events(Client().get(feed_url(head)))


def test_a_revoked_link_is_a_404(owner):
    client = Client()
    client.force_login(owner)
    response = client.post(PAGE, {"action": "make"})
    url = response.context["url"]
    path = url.removeprefix("http://127.0.0.1:8000")
    assert Client().get(path).status_code == 200
    client.post(PAGE, {"action": "revoke"})
    assert Client().get(path).status_code == 404
    assert not CalendarFeed.objects.filter(user=owner).exists()


def test_a_new_link_replaces_the_old_one(owner):
    old = feed_url(owner)
    new = feed_url(owner)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_an_expired_link_a_deactivated_person_and_a_wrong_token_are_404(frozen, owner, settings):
    url = feed_url(owner)
    assert Client().get(reverse("calendar-feed", args=["not-a-token"])).status_code == 404
    frozen.shift(dt.timedelta(days=settings.CALENDAR_FEED_DAYS, seconds=1))
    assert Client().get(url).status_code == 404
    url = feed_url(owner)
    assert Client().get(url).status_code == 200
    owner.is_active = False
    owner.save()
    assert Client().get(url).status_code == 404


def test_the_link_is_shown_once_and_only_its_prefix_afterwards(owner):
    client = Client()
    client.force_login(owner)
    made = client.post(PAGE, {"action": "make"})
    token = made.context["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert token in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    again = client.get(PAGE).content.decode()
    assert token not in again and token[:8] in again
    assert CalendarFeed.objects.get(user=owner).digest != token


def test_the_home_page_links_to_the_calendar_page(owner):
    client = Client()
    client.force_login(owner)
    assert PAGE in client.get(reverse("admin:index")).content.decode()


def test_an_account_with_no_role_gets_no_calendar_page_nor_feed(db):
    nobody = factories.UserFactory(username="nobody")
    client = Client()
    client.force_login(nobody)
    assert client.get(PAGE, follow=True).status_code == 403
    assert Client().get(feed_url(nobody)).status_code == 404


def test_the_token_never_reaches_the_logs(owner):
    url = feed_url(owner)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    CalendarFeed.objects.filter(user=owner).delete()
    written = io.StringIO()
    # The console handler every line goes through.
    (handler,) = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretPaths) for f in h.filters)]
    old = handler.setStream(written)
    try:
        assert Client().get(url).status_code == 404  # Django logs the path of a 404
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 512', url)  # as the dev server does
    finally:
        handler.setStream(old)
    lines = written.getvalue()
    assert "Not Found: /calendar/[redacted].ics" in lines and '"GET /calendar/[redacted].ics' in lines
    assert token not in lines


def build(size: int, head, owner, department) -> None:
    initiative = factories.InitiativeFactory()
    for n in range(size):
        task = factories.TaskFactory(
            department=department, owner=owner, initiative=initiative, due_date=dt.date(2026, 6, n % 28 + 1)
        )
        factories.SlipFactory(task=task)
        factories.PledgeFactory(initiative=factories.InitiativeFactory(), department=department, person=head)
    for pledge in head.pledges.all():
        factories.MeetingFactory(initiative=pledge.initiative, date=dt.date(2026, 5, 1), attendees=[head])


@pytest.mark.parametrize("size", [2, 12])
def test_the_feed_takes_the_same_queries_whatever_its_size(size, head, owner, department, django_assert_num_queries):
    build(size, head, owner, department)
    url = feed_url(head)
    Client().get(url)  # marks the link used: later reads within ten minutes write nothing
    # The link, the person's groups, their zone, headed departments, then tasks, meetings, slips, proposals.
    with django_assert_num_queries(8):
        found = events(Client().get(url))
    assert len(found) == 3 * size


@pytest.mark.parametrize("role", ["cco_staff", "executive", "head", "owner"])
def test_every_role_reaches_its_calendar_page_and_anonymous_is_sent_to_login(client, request, role):
    assert client.get(PAGE)["Location"].startswith(reverse("admin:login"))
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 200


def test_the_feed_answers_reads_only(owner):
    url = feed_url(owner)
    assert Client().head(url).status_code == 200
    assert Client().post(url).status_code == 405
