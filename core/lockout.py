"""What a client locked out by django-axes is told: JSON on the API, a page elsewhere.

Called by axes' middleware (AXES_LOCKOUT_CALLABLE) for a login refused because the account
or the client address failed too often within the cool-off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT = (
    "Too many failed logins for this account or from this address. "
    "Try again in {minutes} minutes, or ask CCO staff to lift the lockout."
)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    minutes = settings.LOGIN_COOLOFF_MINUTES
    message = LOCKED_OUT.format(minutes=minutes)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "core/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
