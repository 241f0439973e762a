"""API keys: made for oneself only, shown once, kept as a digest, expiring (API_KEY_DAYS), revoked by their owner.

The one door for making, finding and revoking keys; the API, the admin and the login endpoint
call it. Nobody can read a key after it was made, nor make one for someone else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.types import UserLike
from org.auth_cache import auth_cache_recall, auth_cache_remember, auth_cache_seconds
from org.models import ApiKey
from org.selectors import user_roles_load

DEFAULT_NAME = "API key"
# A key used within this long is not marked used again: a write per request would be a write per poll.
LAST_USED_RESOLUTION = dt.timedelta(minutes=10)


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, user: UserLike, name: str = "") -> tuple[ApiKey, str]:
    """A new key for this user: the record, and the key itself, which nothing keeps."""
    key = secrets.token_urlsafe(32)
    api_key = ApiKey(
        user=user,
        name=name.strip() or DEFAULT_NAME,
        prefix=key[:8],
        digest=api_key_digest(key),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_KEY_DAYS),
    )
    api_key.full_clean(exclude=["user"])
    api_key.save()
    return api_key, key


def api_key_authenticate(*, key: str) -> ApiKey | None:
    """The unexpired key of an active user with this value, marked used; None otherwise.

    Its user comes with their roles and departments loaded, and the answer is remembered for
    a moment (org/auth_cache.py); the expiry is checked every time.
    """
    digest, now = api_key_digest(key), timezone.now()
    found = auth_cache_recall(digest=digest)
    if found is not None:
        return found if found.expires_at > now else None
    found = ApiKey.objects.select_related("user").filter(digest=digest).first()
    if found is None or found.expires_at <= now or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    if auth_cache_seconds() > 0:
        user_roles_load(user=found.user)
        return auth_cache_remember(digest=digest, api_key=found)
    return found


def api_key_list_own(*, user: UserLike) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def api_key_revoke(*, api_key: ApiKey) -> None:
    api_key.delete()
