"""API throttles keyed on the trusted client address, that let requests in when the cache is down.

A throttle is a brake, not a lock: when its counters cannot be read (the shared cache is
unreachable) refusing every login would turn a cache outage into an outage of the product.
The lockouts of login attempts (django-axes) are kept in the database and still hold.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.throttling import ScopedRateThrottle

from core.client_ip import client_ip

logger = logging.getLogger(__name__)
CACHE_DOWN = "Throttle %s let a request in: its cache could not be reached (%s)."


class ScopedThrottle(ScopedRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_ip(request)

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # any cache client error: redis, memcached, a socket timeout
            logger.warning(CACHE_DOWN, getattr(view, "throttle_scope", "?"), exc)
            return True
