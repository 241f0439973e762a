"""The OpenID Connect backend (mozilla-django-oidc): the library checks the state, nonce, PKCE and
the ID token's signature; the person is found or made by `org.sso.sso_sign_in`.

In AUTHENTICATION_BACKENDS only when OIDC is configured (cco/settings.py): the library reads its
settings when the backend is made, and password sign-ins must not depend on them.
"""

from __future__ import annotations

import logging

import requests
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from org.sso import sso_sign_in

logger = logging.getLogger(__name__)


class SsoBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        """A provider that is down or answers wrongly, or a token that fails its checks, is a
        refused sign-in (back to the login page, which says so), never a server error."""
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as failed:
            logger.warning("Single sign-on failed: the provider answered %s", failed.response.status_code)
        except (requests.RequestException, SuspiciousOperation) as failed:
            logger.warning("Single sign-on failed: %s", type(failed).__name__)  # never the token itself
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo answer is about the ID token's subject, or is not used.
        if str(userinfo.get("sub")) != str(payload.get("sub")):
            logger.warning("Single sign-on refused: the userinfo subject differs from the ID token's")
            return None
        return sso_sign_in(claims={**payload, **userinfo})
