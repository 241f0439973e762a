"""Chat notifications against local peers speaking each service's format: once per channel, 429 and
errors retried with backoff then failed, and never in the way of email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from accountability.reminders.fanout import reminders_fan_out
from integrations.chat.deliver import chat_deliver
from integrations.chat.record import chat_fan_out
from integrations.models import ChatChannel, ChatDelivery
from integrations.services import chat_channel_save
from tests import factories
from tests.integrations.chat_formats import FORMATS

S = ChatDelivery.Status


def _due_soon_task(department):
    due = timezone.localdate() + dt.timedelta(days=3)
    initiative = factories.InitiativeFactory(
        start_date=due - dt.timedelta(days=90), end_date=due + dt.timedelta(days=90)
    )
    return factories.TaskFactory(department=department, initiative=initiative, due_date=due, title="Refunds in a day")


def _channel_url(fmt, peer_server, tls_cert, monkeypatch, answers=None):
    peer = fmt.peer(answers)
    server = peer_server(peer, tls=tls_cert if fmt.tls else None)
    if fmt.in_process_only:
        from apprise.plugins.slack import NotifySlack

        monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{server.port}/services")
    return peer, fmt.url.format(port=server.port)


def _ids() -> list[int]:
    return list(ChatDelivery.objects.order_by("id").values_list("id", flat=True))


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_each_chat_format_gets_a_reminder_once_after_a_429(
    fmt, department, peer_server, tls_cert, monkeypatch, settings
):
    settings.CHAT_RETRY_BACKOFF_SECONDS = 0
    peer, url = _channel_url(fmt, peer_server, tls_cert, monkeypatch, answers=[429])
    chat_channel_save(department=department, url=url)
    task = _due_soon_task(department)
    reminders_fan_out()
    assert chat_fan_out() == 1

    first = chat_deliver(ids=_ids())  # the service answers 429: back to pending, retried after the backoff
    row = ChatDelivery.objects.get()
    if fmt.waits_out_429:  # apprise waited the Retry-After itself and posted again within the attempt
        assert (row.status, row.attempts, first.retry_ids) == (S.SENT, 1, [])
    else:
        assert (row.status, row.attempts, first.retry_ids) == (S.PENDING, 1, [row.pk])
        assert "429" in row.last_error
        chat_deliver(ids=_ids())
    chat_deliver(ids=_ids())  # a repeated batch finds nothing to claim
    chat_fan_out()  # nor does a second sweep record anything new

    row.refresh_from_db()
    assert (row.status, row.attempts, ChatDelivery.objects.count()) == (S.SENT, 1 if fmt.waits_out_429 else 2, 1)
    posts = peer.posts()
    assert len(posts) == 2  # the refused one and the accepted one, nothing more
    assert task.title in posts[-1].body.decode()


@pytest.mark.parametrize("fmt", FORMATS[:3], ids=[f.name for f in FORMATS[:3]])
def test_a_channel_that_keeps_failing_is_recorded_failed_and_email_goes_out(
    fmt, department, peer_server, tls_cert, monkeypatch, settings
):
    settings.CHAT_RETRY_BACKOFF_SECONDS = 0
    settings.CHAT_MAX_ATTEMPTS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    peer, url = _channel_url(fmt, peer_server, tls_cert, monkeypatch, answers=[500, 503, 500, 500])
    chat_channel_save(department=department, url=url)
    _due_soon_task(department)
    reminders_fan_out()
    chat_fan_out()
    for _ in range(4):
        chat_deliver(ids=_ids())
    messages_deliver(message_ids=list(Message.objects.values_list("pk", flat=True)))

    row = ChatDelivery.objects.get()
    assert (row.status, row.attempts) == (S.FAILED, 3)
    assert row.last_error.startswith("Failed after 3 attempts") and "500" in row.last_error
    assert len(peer.posts()) == 3
    assert Message.objects.get().status == Message.Status.SENT and len(mail.outbox) == 1


def test_a_person_and_their_department_each_get_one_post_and_a_channel_switched_off_none(
    department, peer_server, tls_cert, monkeypatch
):
    fmt = FORMATS[0]
    peer, url = _channel_url(fmt, peer_server, tls_cert, monkeypatch)
    task = _due_soon_task(department)
    chat_channel_save(department=department, url=url)
    chat_channel_save(person=task.owner, url=url.replace("/hook", "/hook/direct"))
    other = factories.DepartmentFactory()
    chat_channel_save(department=other, url=url, active=False)
    _due_soon_task(other)
    reminders_fan_out()

    assert chat_fan_out() == 2
    chat_deliver(ids=_ids())
    assert sorted(r.path for r in peer.received) == ["/hook", "/hook/direct"]
    assert set(ChatDelivery.objects.values_list("status", flat=True)) == {S.SENT}


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://files.example.com/x", "not a chat URL apprise knows"),
        ("nonsense", "not a chat URL apprise knows"),
        ("jsons://cco.example.com/hook", "points at this product itself"),
    ],
)
def test_a_bad_chat_url_is_refused_naming_the_field_and_nothing_is_saved(department, url, says):
    with pytest.raises(ValidationError) as error:
        chat_channel_save(department=department, url=url)
    assert says in " ".join(error.value.message_dict["url"])
    assert not ChatChannel.objects.exists()
