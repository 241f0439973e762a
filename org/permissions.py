"""DRF permissions by role, shared by every app's endpoints. Which objects one sees is the selectors' job."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from org.selectors import user_has_model_permission, user_has_role, user_is_cco_staff

CCO_STAFF_ONLY = "Only CCO staff may change this."
NO_ROLE = "Your account has no role yet, so it sees nothing: ask CCO staff to give you one."
NO_MODEL_PERMISSION = "Your role does not allow this ({permission})."
# The model permission each method needs (org/roles.py grants them to the groups).
_ACTIONS = {"GET": "view", "HEAD": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def unrouted(request: Any, view: Any) -> bool:
    """A method the view lacks: let it pass on to its 405."""
    return getattr(view, "action", "") is None or request.method.lower() not in view.http_method_names


def reads_or_unrouted(request: Any, view: Any) -> bool:
    """Reads pass to the queryset scoping; a method the view lacks passes on to its 405."""
    return request.method in permissions.SAFE_METHODS or unrouted(request, view)


def required_permission(request: Any, view: Any) -> str | None:
    """`app.action_model` for this request, from the view's model; None where no model permission applies.

    A view opts out with `model_permissions = False` (one's own API keys, the people directory);
    `action_permissions` names the permission of an extra action ({"approve": "change"}) where
    its method's would be wrong (a POST that decides is a change, not an add).
    """
    action = getattr(view, "action_permissions", {}).get(getattr(view, "action", None)) or _ACTIONS.get(request.method)
    if action is None or not getattr(view, "model_permissions", True) or unrouted(request, view):
        return None
    queryset = getattr(view, "queryset", None)
    if queryset is None and hasattr(view, "get_queryset"):
        try:
            queryset = view.get_queryset()
        except (AttributeError, AssertionError):  # an APIView with no queryset: nothing to check
            return None
    if queryset is None:
        return None
    opts = queryset.model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


class SignedIn(permissions.IsAuthenticated):
    """The base of every permission here: anonymous gets nothing, whatever the method; an account
    with no role gets nothing either; the groups' model permissions apply; then `allows`."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        if not user_has_role(user=request.user):
            self.message = NO_ROLE
            return False
        permission = required_permission(request, view)
        if permission is not None and not user_has_model_permission(user=request.user, permission=permission):
            self.message = NO_MODEL_PERMISSION.format(permission=permission)
            return False
        return self.allows(request, view)

    def allows(self, request: Any, view: Any) -> bool:
        return True


class CCOStaffWrites(SignedIn):
    """Every signed-in user reads; CCO staff change (roadmap, initiatives, targets)."""

    message = CCO_STAFF_ONLY

    def allows(self, request: Any, view: Any) -> bool:
        return reads_or_unrouted(request, view) or user_is_cco_staff(user=request.user)
