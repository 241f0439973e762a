"""Who may write metrics data, movements, recognitions and scorecard requests."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from roadmap.selectors import user_headed_department_ids, user_is_cco_staff

DATA_WRITERS_ONLY = "Only CCO staff and department heads write readings and customer movements."
RECOGNITION_NOT_ALLOWED = "Executives read recognitions; CCO staff, heads and owners give them."


class DataWrites(permissions.BasePermission):
    """Readings and movements: everyone signed in reads; CCO staff and heads write (per department in the view)."""

    message = DATA_WRITERS_ONLY

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return user_is_cco_staff(user=request.user) or bool(user_headed_department_ids(user=request.user))


class RecognitionWrites(permissions.BasePermission):
    """Giving recognition follows the role's model permission (executives have none)."""

    message = RECOGNITION_NOT_ALLOWED

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm("accountability.add_recognition")
