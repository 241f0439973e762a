"""The client's address, as the web server and the trusted proxies in front of it saw it.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
TRUSTED_PROXY_COUNT says: with 0 (the default) it is ignored and the address is the peer's
(`REMOTE_ADDR`); with n, it is the address the outermost of the n proxies received the
request from. Login lockouts and API throttles both key on this one answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    # Each trusted proxy appended the address it saw; the one left of theirs is the client's.
    return hops[-min(trusted, len(hops))]
