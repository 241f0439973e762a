"""DRF permissions by role, shared by every app's endpoints. Which objects one sees is the selectors' job."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from org.selectors import user_is_cco_staff

CCO_STAFF_ONLY = "Only CCO staff may change this."


def reads_or_unrouted(request: Any, view: Any) -> bool:
    """Reads pass to the queryset scoping; a method the view lacks passes on to its 405."""
    unrouted = getattr(view, "action", "") is None or request.method.lower() not in view.http_method_names
    return request.method in permissions.SAFE_METHODS or unrouted


class SignedIn(permissions.IsAuthenticated):
    """The base of every permission here: anonymous gets nothing, whatever the method."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return super().has_permission(request, view) and self.allows(request, view)

    def allows(self, request: Any, view: Any) -> bool:
        return True


class CCOStaffWrites(SignedIn):
    """Every signed-in user reads; CCO staff change (roadmap, initiatives, targets)."""

    message = CCO_STAFF_ONLY

    def allows(self, request: Any, view: Any) -> bool:
        return reads_or_unrouted(request, view) or user_is_cco_staff(user=request.user)
