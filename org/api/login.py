"""Username and password for an API token, behind the same lockout as the admin login.

The password is checked through Django's `authenticate` with the plain Django request, so
that django-axes counts the failure against the account and the client address and its
middleware answers a locked-out client (429, JSON here, see `core.lockout`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttles import ScopedThrottle
from org.api.keys import ApiKeyCreatedSerializer
from org.api_keys import api_key_create

WRONG_CREDENTIALS = "Unable to log in with the username and password given."


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(max_length=4096, write_only=True, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)


class TokenLoginView(APIView):
    """Username and password for a new API key of that person (shown once, expiring after API_KEY_DAYS).

    Repeated failures lock the account and the address out (docs/security.md).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=LoginSerializer,
        responses={200: ApiKeyCreatedSerializer, 400: OpenApiResponse(description="Wrong username or password.")},
    )
    def post(self, request: Any) -> Response:
        login = LoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        name = login.validated_data.pop("name", "")
        user = authenticate(request._request, **login.validated_data)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": [WRONG_CREDENTIALS]})
        # As a session login does: axes clears the failures counted so far, last_login is set.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        api_key, key = api_key_create(user=user, name=name)
        api_key.token = key
        return Response(ApiKeyCreatedSerializer(api_key).data)
