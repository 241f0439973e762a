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
    """Raises the next error of `errors` for each send (None: accepts that one); records accepted messages in `sent`."""

    errors: list[BaseException | None] = []
    sent: list = []

    def send_messages(self, email_messages):
        error = RaisingBackend.errors.pop(0) if RaisingBackend.errors else None
        if error is not None:
            raise error
        RaisingBackend.sent.extend(email_messages)
        return len(email_messages)
