"""Shapes of departments and people in the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.models import Department
from org.selectors import user_email_visible_ids

User = get_user_model()


class DepartmentSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "slug", "head", "members"]


class UserSerializer(serializers.ModelSerializer):
    """A person; the email only for CCO staff, the person themself and the heads of their departments."""

    email = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    headed_departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active", "roles"]
        fields += ["departments", "headed_departments"]

    @extend_schema_field(serializers.EmailField(allow_null=True, allow_blank=True))
    def get_email(self, user: Any) -> str | None:
        request = self.context.get("request")
        if request is None:
            return None
        if "email_visible_ids" not in self.context:  # once per response, not per row
            self.context["email_visible_ids"] = user_email_visible_ids(user=request.user)
        visible = self.context["email_visible_ids"]
        return user.email if visible is None or user.pk in visible else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: Any) -> list[str]:
        return sorted(group.name for group in user.groups.all())
