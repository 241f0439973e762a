"""Delivery through a real local SMTP server (aiosmtpd): one session per batch, reconnects, what arrives."""

import asyncio
import email
import smtplib
from email import policy

import pytest

from accountability.models import Message
from accountability.reminders.delivery import messages_deliver
from tests import factories
from tests.accountability.reminder_helpers import d, sweep
from tests.worker import ScriptedSMTPHandler

S = Message.Status


class SessionCountingHandler(ScriptedSMTPHandler):
    """Counts SMTP sessions (one EHLO each); drops the connection after the `drop_after`-th message."""

    def __init__(self, *, drop_after: int | None = None) -> None:
        super().__init__()
        self.sessions, self.drop_after = 0, drop_after

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.delivered) == self.drop_after:  # as a server does at its idle timeout or session limit
            asyncio.get_running_loop().call_soon(server.transport.close)
        return reply


@pytest.fixture
def smtp(settings, smtp_server):
    def start(handler: SessionCountingHandler) -> SessionCountingHandler:
        server = smtp_server(handler)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return handler

    return start


def _messages(department, titles: list[str]) -> list[int]:
    for i, title in enumerate(titles):
        owner = factories.TaskOwnerFactory(
            username=f"o{i}", email=f"o{i}@example.com", first_name=f"Owner {i}", last_name="Tester"
        )
        factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), title=title)
    sweep(2026, 6, 1, 12)
    return list(Message.objects.order_by("id").values_list("id", flat=True))


def test_a_batch_sends_every_message_over_one_smtp_session(department, smtp):
    handler = smtp(SessionCountingHandler())
    ids = _messages(department, [f"Task {i}" for i in range(5)])
    assert messages_deliver(message_ids=ids).sent == 5
    assert handler.sessions == 1
    assert sorted(address for address, _ in handler.delivered) == [f"o{i}@example.com" for i in range(5)]
    assert set(Message.objects.values_list("status", flat=True)) == {S.SENT}


def test_a_kept_connection_the_server_dropped_is_reopened_and_nothing_is_lost_or_sent_twice(department, smtp):
    handler = smtp(SessionCountingHandler(drop_after=2))
    ids = _messages(department, [f"Task {i}" for i in range(4)])
    assert messages_deliver(message_ids=ids).retry_ids == []
    assert handler.sessions == 2
    assert [address for address, _ in handler.delivered] == [f"o{i}@example.com" for i in range(4)]
    assert set(Message.objects.values_list("status", flat=True)) == {S.SENT}


def test_an_email_arrives_as_text_and_html_with_every_character_and_only_the_html_escaped(department, smtp, settings):
    settings.SITE_URL = "https://cco.example.com"
    handler = smtp(SessionCountingHandler())
    title = "Überprüfung R&D <Q3> für Kunden ✓"  # non-ASCII (quoted-printable) and markup
    (message_id,) = _messages(department, [title])
    messages_deliver(message_ids=[message_id])
    ((address, raw),) = handler.delivered
    received = email.message_from_bytes(raw, policy=policy.default)
    text, html = (part.get_content() for part in received.iter_parts())
    assert received["Subject"] == f"Due 04 Jun: {title}"
    assert received["To"] == address == "o0@example.com"
    assert received["X-CCO-Message-Id"] == str(message_id)
    assert received.get_content_type() == "multipart/alternative"
    assert f"{title} (" in text and "Hello Owner 0 Tester," in text
    assert "Überprüfung R&amp;D &lt;Q3&gt; für Kunden ✓" in html and "<p>Hello Owner 0 Tester,</p>" in html
    task_id = Message.objects.get().task_id
    assert f"https://cco.example.com/admin/roadmap/task/{task_id}/change/" in text


def test_a_fresh_connection_that_fails_is_not_retried_at_once(department, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RaisingBackend"
    from tests.mail_backends import RaisingBackend

    RaisingBackend.errors, RaisingBackend.sent = [smtplib.SMTPServerDisconnected("gone")], []
    ids = _messages(department, ["Task 0", "Task 1"])
    outcome = messages_deliver(message_ids=ids)
    assert outcome.retry_ids == [ids[0]]  # the first message's own fresh connection failed: retried later
    second = Message.objects.select_related("recipient").get(pk=ids[1])  # ids follow the sweep's order
    assert [e.to for e in RaisingBackend.sent] == [[second.recipient.email]]
