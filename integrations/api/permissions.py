from __future__ import annotations

from typing import Any

from org.permissions import CCO_STAFF_ONLY, SignedIn, unrouted
from org.selectors import user_is_cco_staff


class CCOStaffOnly(SignedIn):
    """Integrations hold other systems' addresses and secrets: CCO staff only, reads included."""

    message = CCO_STAFF_ONLY

    def allows(self, request: Any, view: Any) -> bool:
        return unrouted(request, view) or user_is_cco_staff(user=request.user)
