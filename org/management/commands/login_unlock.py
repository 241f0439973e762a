"""`manage.py login_unlock --username NAME` or `--ip ADDRESS`: lift one login lockout now.

Deletes the failed attempts recorded for that account or client address (django-axes), so
the next login is counted from zero. The admin's "Access attempts" page does the same.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError

NOTHING_GIVEN = "Name the lockout to lift: --username NAME or --ip ADDRESS."
NOTHING_FOUND = "No failed logins are recorded for {who}; nothing was changed."
UNLOCKED = "Lifted the lockout of {who} ({count} attempt record(s) deleted)."


class Command(BaseCommand):
    help = "Lift the login lockout of one account (--username) or one client address (--ip)."

    def add_arguments(self, parser: Any) -> None:
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--username", help="the account locked out")
        who.add_argument("--ip", help="the client address locked out")

    def handle(self, *args: Any, username: str | None, ip: str | None, **options: Any) -> None:
        if not (username or ip):
            raise CommandError(NOTHING_GIVEN)
        who = f"username {username!r}" if username else f"address {ip}"
        count = reset(username=username) if username else reset(ip=ip)
        if not count:
            raise CommandError(NOTHING_FOUND.format(who=who))
        self.stdout.write(UNLOCKED.format(who=who, count=count))
