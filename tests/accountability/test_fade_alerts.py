"""Fade alerts: CCO staff and the heads whose people stopped hear once per month, and not when it recovers."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from cco.celery import app
from tests import factories

pytestmark = pytest.mark.django_db
FADE = "accountability.fade_alerts_fanout"


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def force(department, other_department):
    """Ten people pledged: six from Service, four from Billing; all ten at the kick-off in January."""
    initiative = factories.InitiativeFactory(
        title="Fix onboarding", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    service = [factories.TaskOwnerFactory(username=f"service-{i}") for i in range(6)]
    billing = [factories.TaskOwnerFactory(username=f"billing-{i}") for i in range(4)]
    department.members.add(*service)
    other_department.members.add(*billing)
    for people, dept in ((service, department), (billing, other_department)):
        for person in people:
            factories.PledgeFactory(initiative=initiative, department=dept, person=person)
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 1, 15), attendees=service + billing)
    return initiative, service, billing


def _fade_messages():
    return list(
        Message.objects.filter(kind="fade")
        .order_by("recipient__username")
        .values_list("recipient__username", "for_date", "subject_key")
    )


def test_a_faded_month_alerts_cco_staff_and_the_heads_whose_people_stopped_once(force, cco_staff, head, other_head):
    initiative, _service, billing = force
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 2, 10), attendees=billing[:4])  # 4/10 < 5/10
    with _at(dt.date(2026, 3, 2)):
        app.tasks[FADE].apply(throw=True)
        app.tasks[FADE].apply(throw=True)  # a second beat
    key = f"initiative:{initiative.pk}"
    # Every CCO staff member (the initiative's owner among them) and Service's head; only Service's people
    # stopped, so Billing's head is not told.
    told = sorted([cco_staff.username, initiative.owner.username, head.username])
    assert _fade_messages() == [(name, dt.date(2026, 2, 1), key) for name in told]
    assert other_head.username not in told
    with _at(dt.date(2026, 3, 25)):
        app.tasks[FADE].apply(throw=True)  # later in the month: still once
    assert len(_fade_messages()) == 3


def test_the_alert_says_how_far_participation_fell_and_who_stopped(force, cco_staff, head, settings):
    initiative, service, billing = force
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 2, 10), attendees=service[:1])
    with _at(dt.date(2026, 3, 2)):
        app.tasks[FADE].apply(throw=True)
        messages_deliver(message_ids=list(Message.objects.filter(recipient=head).values_list("pk", flat=True)))
    [email] = mail.outbox
    assert email.subject == "Task force fading: Fix onboarding (February 2026)"
    assert "1 of the 10 pledged people took part (10.0 %), below half of its first month (100.0 %)" in email.body
    assert f"- {service[1].get_full_name()} (Service)" in email.body
    assert f"- {billing[0].get_full_name()} (Billing)" in email.body
    assert service[0].get_full_name() not in email.body


def test_no_alert_when_participation_recovers_or_holds_at_half(force, cco_staff, head):
    initiative, service, _billing = force
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 2, 10), attendees=service[:2])  # faded
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 3, 10), attendees=service[:5])  # half: not below
    with _at(dt.date(2026, 4, 3)):
        app.tasks[FADE].apply(throw=True)
    assert _fade_messages() == []
    with _at(dt.date(2026, 3, 3)):
        app.tasks[FADE].apply(throw=True)  # February did fade
    assert {for_date for _, for_date, _ in _fade_messages()} == {dt.date(2026, 2, 1)}
