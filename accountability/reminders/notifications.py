"""Notifications in the app: every message (reminder, escalation, digest, slip waiting) is also
in its recipient's list, read or unread, whatever became of the email.

The message row is the notification: nothing is copied, so the app and the email always agree.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from accountability.models import Message
from accountability.reminders.render import message_render, message_subject
from org.selectors import UserLike

NOT_YOURS = "This notification is addressed to someone else: only its recipient can open it. Nothing was changed."
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


def notification_list(*, user: UserLike) -> QuerySet[Message]:
    """The user's own messages, newest first, with what their subject lines need."""
    if not (user.is_authenticated and user.is_active):
        return Message.objects.none()
    return (
        Message.objects.filter(recipient_id=user.pk)
        .select_related("task", "task__department", "department")
        .order_by("-for_date", "-id")
    )


def notifications_unread_count(*, user: UserLike) -> int:
    if not (user.is_authenticated and user.is_active):
        return 0
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_subject(*, message: Message) -> str:
    return message_subject(message=message)


def notification_open(*, message: Message, user: UserLike) -> tuple[str, str]:
    """(subject, HTML body) of the user's own message, rendered as the email was; marks it read.

    Someone else's message raises PermissionDenied with NOT_YOURS, and is not marked.
    """
    if message.recipient_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    subject, _text, html = message_render(message=message)
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    match = _BODY.search(html)
    return subject, match.group(1) if match else html


def notifications_mark_all_read(*, user: UserLike) -> int:
    """Mark every unread message of this user read; returns how many."""
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())


def message_email(*, message: Message) -> tuple[str, str]:
    """(subject, HTML body) as the email was, without marking anything (the admin's record page)."""
    subject, _text, html = message_render(message=message)
    match = _BODY.search(html)
    return subject, match.group(1) if match else html
