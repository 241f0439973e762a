"""The Message admin's "Resend": failed messages go out once more, once, and only CCO staff may ask."""

import datetime as dt

import pytest
from django.urls import reverse

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from tests import factories

pytestmark = pytest.mark.django_db
S = Message.Status
CHANGELIST = reverse("admin:accountability_message_changelist")


def failed(**fields) -> Message:
    return factories.MessageFactory(status=S.FAILED, attempts=8, last_error="451 try again later", **fields)


def resend(client, user, messages, *, query: str = "", across: bool = False):
    client.force_login(user)
    form = {"action": "resend_failed", "_selected_action": [m.pk for m in messages]}
    if across:
        form["select_across"] = "1"
    return client.post(CHANGELIST + query, form, follow=True)


def test_cco_staff_resend_a_failed_message_and_it_is_delivered_once(
    client, cco_staff, mailoutbox, django_capture_on_commit_callbacks
):
    message = failed()
    with django_capture_on_commit_callbacks() as published:
        response = resend(client, cco_staff, [message])

    assert "1 failed message(s) put back to be sent; each goes out once." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.PENDING, 0)
    assert len(published) == 1
    messages_deliver(message_ids=[message.pk])
    messages_deliver(message_ids=[message.pk])  # a redelivered batch
    assert len(mailoutbox) == 1
    assert Message.objects.get().status == S.SENT


def test_a_second_click_resends_nothing_more(client, cco_staff, mailoutbox, django_capture_on_commit_callbacks):
    message = failed()
    resend(client, cco_staff, [message])
    with django_capture_on_commit_callbacks() as published:
        response = resend(client, cco_staff, [message])

    assert "0 failed message(s) put back" in response.content.decode()
    assert "1 selected message(s) left as they are: only failed messages can be resent." in response.content.decode()
    published[0]()  # the second click published an empty list of batches
    messages_deliver(message_ids=[message.pk])
    assert len(mailoutbox) == 1


def test_a_sent_message_is_never_resent(client, cco_staff):
    sent = factories.MessageFactory(status=S.SENT, attempts=1)

    response = resend(client, cco_staff, [sent])

    assert "only failed messages can be resent" in response.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (S.SENT, 1)


def test_all_failed_messages_of_a_day_are_resent_from_the_filtered_list(client, cco_staff):
    day, other_day = dt.date(2026, 6, 27), dt.date(2026, 6, 28)
    of_the_day = [failed(for_date=day) for _ in range(3)]
    failed(for_date=other_day)
    factories.MessageFactory(status=S.SENT, for_date=day)

    resend(client, cco_staff, of_the_day[:1], query=f"?for_date={day.isoformat()}&status__exact=failed", across=True)

    assert Message.objects.filter(for_date=day, status=S.PENDING).count() == 3
    assert Message.objects.filter(for_date=other_day).get().status == S.FAILED


@pytest.mark.parametrize("role", ["head", "executive", "owner"])
def test_only_cco_staff_may_resend(client, role, request):
    message = failed()
    user = request.getfixturevalue(role)
    client.force_login(user)

    page = client.get(CHANGELIST)
    resend(client, user, [message])

    assert "resend_failed" not in page.content.decode()
    message.refresh_from_db()
    assert message.status == S.FAILED
