"""Template context for every admin page: the header's count of unread notifications."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accountability.reminders.notifications import notifications_unread_count


def notifications(request: HttpRequest) -> dict:
    # Lazy: one count query, only on pages that draw the header (not the API, not the exports).
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
