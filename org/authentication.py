"""`Authorization: Token <key>` against the hashed, expiring API keys (org/api_keys.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from org.api_keys import api_key_authenticate

INVALID_KEY = "Invalid, expired or revoked API key."


class ApiKeyAuthentication(TokenAuthentication):
    """DRF's token header and challenge (401 with `WWW-Authenticate: Token`), looked up by digest."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        api_key = api_key_authenticate(key=key)
        if api_key is None:
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        return api_key.user, api_key
