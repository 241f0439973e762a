"""Shapes of departments and people in the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.models import Department

User = get_user_model()


class DepartmentSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "slug", "head", "members"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    headed_departments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active", "roles"]
        fields += ["departments", "headed_departments"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: Any) -> list[str]:
        return sorted(group.name for group in user.groups.all())
