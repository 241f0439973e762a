"""Test-only email backends: a slow file backend (crash tests) and one that raises chosen errors."""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class SlowFileBackend(FileBackend):
    """Writes each message to EMAIL_FILE_PATH after sleeping SLOW_EMAIL_SECONDS: a slow SMTP server."""

    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "1")))
        super().write_message(message)


class RaisingBackend(BaseEmailBackend):
    """Raises the next error of `errors` for each send (then records the message in `sent`)."""

    errors: list[Exception] = []
    sent: list = []

    def send_messages(self, email_messages):
        if RaisingBackend.errors:
            raise RaisingBackend.errors.pop(0)
        RaisingBackend.sent.extend(email_messages)
        return len(email_messages)
