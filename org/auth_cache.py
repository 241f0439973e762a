"""A short memory, per process, of who an API key belongs to and what their roles are.

Every API request otherwise asks the database who the key is, their groups, the departments
they head or belong to, and their model permission: four of the task list's seven queries, and
a third of its time (bench/api_profile.py). An integration polling the API sends the same key
many times a second, so the answers are kept for `API_AUTH_CACHE_SECONDS` (default 2; 0 turns
the memory off).

- Any change in this process to keys, people, groups, permissions or departments (saved,
  deleted, or a membership added or removed, through the admin, the API, a service or a
  factory) forgets everything at once: the next request asks the database again.
- A change made in another process, or by a bulk `update()` that sends no signal, is seen
  at most `API_AUTH_CACHE_SECONDS` later (docs/security.md#api-keys).
- A key's expiry is checked on every request, remembered or not.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

_lock = threading.Lock()
_entries: dict[str, tuple[float, Any]] = {}  # digest -> (remembered at, ApiKey with its user's roles loaded)
MAX_ENTRIES = 10_000  # a bound on memory: past it, everything is forgotten


def auth_cache_seconds() -> float:
    return float(getattr(settings, "API_AUTH_CACHE_SECONDS", 0))


def auth_cache_recall(*, digest: str) -> Any | None:
    """A copy of the remembered key (and of its user), or None when not remembered or too old."""
    entry = _entries.get(digest)
    if entry is None:
        return None
    remembered_at, api_key = entry
    if time.monotonic() - remembered_at >= auth_cache_seconds():
        _entries.pop(digest, None)
        return None
    return _copy(api_key)


def _copy(api_key: Any) -> Any:
    # Copies, so that nothing a request sets on its key or user leaks into the next request; the
    # role answers loaded on the user (org/selectors.py) are shared, and are read-only.
    found = copy.copy(api_key)
    found._state = copy.copy(api_key._state)
    found._state.fields_cache = {"user": copy.copy(api_key.user)}
    return found


def auth_cache_remember(*, digest: str, api_key: Any) -> Any:
    """Remember the key (its user's roles loaded) and return a copy for this request."""
    if auth_cache_seconds() <= 0:
        return api_key
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[digest] = (time.monotonic(), api_key)
    return _copy(api_key)


def auth_cache_forget(**kwargs: Any) -> None:
    """Forget every key: something that decides who someone is or what they may do changed."""
    with _lock:
        _entries.clear()


def auth_cache_connect() -> None:
    """Forget on every change to what the remembered answers depend on (called from OrgConfig.ready)."""
    from org.models import ApiKey, Department

    user_model = get_user_model()
    for model in (ApiKey, user_model, Group, Permission, Department):
        uid = f"org.auth_cache.{model._meta.label}"
        post_save.connect(auth_cache_forget, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(auth_cache_forget, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    through = (user_model.groups.through, user_model.user_permissions.through)
    for model in (*through, Group.permissions.through, Department.members.through):
        uid = f"org.auth_cache.{model._meta.label}.m2m"
        m2m_changed.connect(auth_cache_forget, sender=model, dispatch_uid=uid, weak=False)
