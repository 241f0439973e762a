"""Calendar links: one per person, made for oneself only, shown once, kept as a digest, expiring
(CALENDAR_FEED_DAYS), revoked by their owner.

The one door for making, finding and revoking them; the calendar page and the feed call it.
The token travels in the URL (calendar apps send no headers), so the logs redact it
(`core.log_redaction`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.types import UserLike
from org.models import CalendarFeed
from org.selectors import user_has_role

# A link used within this long is not marked used again: calendar apps poll every few minutes.
LAST_USED_RESOLUTION = dt.timedelta(minutes=10)


def calendar_feed_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: UserLike) -> tuple[CalendarFeed, str]:
    """A new link for this user, replacing the old one: the record, and the token, which nothing keeps."""
    CalendarFeed.objects.filter(user_id=user.pk).delete()
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        user_id=user.pk,
        prefix=token[:8],
        digest=calendar_feed_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=settings.CALENDAR_FEED_DAYS),
    )
    feed.full_clean(exclude=["user"])
    feed.save()
    return feed, token


def calendar_feed_find(*, token: str) -> CalendarFeed | None:
    """The unexpired link of an active user with a role, marked used; None otherwise (the feed's 404)."""
    found = CalendarFeed.objects.select_related("user").filter(digest=calendar_feed_digest(token)).first()
    now = timezone.now()
    if found is None or found.expires_at <= now or not user_has_role(user=found.user):
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        CalendarFeed.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


def calendar_feed_get(*, user: UserLike) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user_id=user.pk).first()


def calendar_feed_revoke(*, user: UserLike) -> bool:
    """Revoke this user's link; True if there was one."""
    deleted, _ = CalendarFeed.objects.filter(user_id=user.pk).delete()
    return bool(deleted)
