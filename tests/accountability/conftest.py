"""Fixtures of the accountability tests."""

from tests.worker import smtp_server  # noqa: F401  (a local SMTP server, for the reminder worker tests)
