"""Departments and people: read by every signed-in user, changed by CCO staff in the admin."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets

from org.api.serializers import DepartmentSerializer, UserSerializer
from org.selectors import department_list, user_list


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "id"]

    def get_queryset(self) -> Any:
        return department_list()


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People, with their roles (groups) and the departments they belong to and head."""

    serializer_class = UserSerializer
    search_fields = ["username", "first_name", "last_name"]  # not email: a search would confirm a hidden one
    # Every role reads the people directory (owners, heads, recipients), though only CCO staff
    # hold auth.view_user (which would open the user admin, with every email); emails are filtered below.
    model_permissions = False
    ordering_fields = ["username", "id"]
    filterset_fields = ["is_active"]

    def get_queryset(self) -> Any:
        return user_list()
