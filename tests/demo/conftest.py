"""The demo, built once per test module: building it is most of what a demo test costs.

`demo_built_once(*options)` makes a module fixture that builds the demo (`manage.py demo_data`
with those options) on the day the demo tests live in, inside a transaction that stays open for
the module's tests and is rolled back after the last one. Each test runs inside it, in its own
savepoint (pytest-django's usual test transaction), so what one test changes the next does not
see. Tests that need an empty database live in other modules (test_demo_options.py).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

NOW = dt.datetime(2026, 11, 16, 10, tzinfo=ZoneInfo("Europe/London"))


def demo(*options: str) -> str:
    """Run `manage.py demo_data` with these options; what it printed."""
    out = StringIO()
    call_command("demo_data", "--no-progress", *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def demo_built_once(*options: str):
    @pytest.fixture(scope="module")
    def demo_output(django_db_setup, django_db_blocker):
        """The demo, built once for this module; what `manage.py demo_data` printed."""
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer._from_testcase = True  # as a TestCase's class-wide transaction is
            outer.__enter__()
            try:
                with time_machine.travel(NOW, tick=False):
                    output = demo(*options)
                yield output
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return demo_output


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW
