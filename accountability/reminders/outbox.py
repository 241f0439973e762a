"""One mail connection for a whole delivery batch.

Django's `EmailMessage.send()` on a connection that is not open opens it, sends one message
and closes it again: one SMTP session (connect, EHLO, STARTTLS, AUTH, QUIT) per reminder. A
batch instead opens its connection once and keeps it open until its last message. After an
error the connection is closed (its state is unknown) and the next message opens a fresh one.
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import get_connection

from core.mail import FastEmail

logger = logging.getLogger(__name__)


class Outbox:
    """A batch's mail connection: opened at the first message, kept open, closed by `close()`."""

    def __init__(self) -> None:
        self.connection = get_connection()
        self._open = False
        self.sessions = 0  # connections opened, for the tests and the benchmark

    def _ensure_open(self) -> bool:
        """Open the connection unless it is; True when this call opened it."""
        if self._open:
            return False
        self.connection.open()
        self._open = True
        self.sessions += 1
        return True

    def send(self, *, subject: str, text: str, html: str, to: str, headers: dict[str, str]) -> None:
        """Send one message on the open connection; raises what the backend raises."""
        email = FastEmail(subject=subject, body=text, to=[to], headers=headers)
        email.attach_alternative(html, "text/html")
        try:
            fresh = self._ensure_open()
            try:
                self.connection.send_messages([email])
            except smtplib.SMTPServerDisconnected:
                if fresh:
                    raise
                # The server closed a connection this batch had kept open (an idle timeout, or a
                # limit of messages per session) before taking this message: once more, on a new one.
                self.close()
                self._ensure_open()
                self.connection.send_messages([email])
        except BaseException:
            self.close()  # its state is unknown: the next message opens a fresh one
            raise

    def close(self) -> None:
        self._open = False
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError) as exc:
            # QUIT refused or the socket already gone: nothing sent depends on it.
            logger.info("Closing the mail connection failed: %r", exc)
