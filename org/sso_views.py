"""The single sign-on URLs: mozilla-django-oidc's views when OIDC is configured, a 404 when not."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def _configured() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not configured.")


def sso_start_view(request: HttpRequest) -> HttpResponse:
    _configured()
    return OIDCAuthenticationRequestView.as_view()(request)


def sso_callback_view(request: HttpRequest) -> HttpResponse:
    _configured()
    return OIDCAuthenticationCallbackView.as_view()(request)
