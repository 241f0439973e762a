"""A person's own API keys: list them, make one (shown once), revoke one. Nobody else's, ever."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from org.api_keys import api_key_create, api_key_list_own, api_key_revoke
from org.models import ApiKey


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = ["prefix", "created_at", "expires_at", "last_used_at"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}


class ApiKeyCreatedSerializer(ApiKeySerializer):
    token = serializers.CharField(read_only=True, help_text="The key itself: shown this once, kept nowhere.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "token"]


class ApiKeyViewSet(mixins.DestroyModelMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Your own API keys. The key is in the answer to the POST only; DELETE revokes it at once."""

    serializer_class = ApiKeySerializer
    ordering_fields = ["created_at", "expires_at", "id"]
    search_fields = ["name", "prefix"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    model_permissions = False  # one's own keys, whatever the role's model permissions say

    def get_queryset(self) -> Any:
        return api_key_list_own(user=self.request.user)

    @extend_schema(request=ApiKeySerializer, responses={201: ApiKeyCreatedSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = ApiKeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, key = api_key_create(user=request.user, name=serializer.validated_data.get("name", ""))
        api_key.token = key
        return Response(ApiKeyCreatedSerializer(api_key).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiKey) -> None:
        api_key_revoke(api_key=instance)
