"""Who may call which method. Which objects they see is the selectors' job (get_queryset)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions

from org.permissions import SignedIn, reads_or_unrouted
from org.selectors import user_headed_department_ids, user_is_cco_staff
from roadmap.selectors import (
    initiative_changeable_by,
    initiative_draftable_by,
    task_changeable_by,
    task_list_changeable,
)

TASK_NOT_CHANGEABLE = "You may read this task but not change it."
TASK_CREATE_DEPARTMENT = "You may only add tasks to departments you head."
INITIATIVE_NOT_CHANGEABLE = (
    "Only CCO staff change this initiative (a head changes only the drafts they wrote, until proposed)."
)
INITIATIVE_DRAFTERS = "Only CCO staff and department heads draft initiatives."
NOT_PROPOSABLE_BY_YOU = "Only CCO staff and the head who drafted it propose this initiative."
ONLY_CCO_DECIDES = "Only CCO staff approve a proposal or send it back."
CHECK_IN_NOT_ADDABLE = "Only CCO staff, the head of the task's department and the task's owner add check-ins."


class TaskWrites(SignedIn):
    """CCO staff change all tasks, heads their departments' tasks, owners their own tasks.

    Creating needs a headed department (checked per department by the view); changing is
    decided per object. Tasks the user may not see never reach here: they are 404.
    """

    message = TASK_NOT_CHANGEABLE

    def allows(self, request: Any, view: Any) -> bool:
        if reads_or_unrouted(request, view) or view.action != "create":
            return True
        if user_is_cco_staff(user=request.user) or user_headed_department_ids(user=request.user):
            return True
        self.message = TASK_CREATE_DEPARTMENT
        return False

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or task_changeable_by(task=obj, user=request.user)


class InitiativeWrites(SignedIn):
    """Everyone signed in reads; CCO staff and heads draft; changes are decided per object.

    The proposal actions are POSTs on one initiative: the view decides who may take each.
    """

    message = INITIATIVE_NOT_CHANGEABLE

    def allows(self, request: Any, view: Any) -> bool:
        if reads_or_unrouted(request, view) or view.action != "create":
            return True
        self.message = INITIATIVE_DRAFTERS
        return initiative_draftable_by(user=request.user)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or view.action in ("propose", "approve", "send_back"):
            return True
        self.message = INITIATIVE_NOT_CHANGEABLE
        return initiative_changeable_by(initiative=obj, user=request.user)


class CheckInWrites(SignedIn):
    """Only someone with a task to add check-ins to may add one; which task: the serializer's choices."""

    message = CHECK_IN_NOT_ADDABLE

    def allows(self, request: Any, view: Any) -> bool:
        return reads_or_unrouted(request, view) or task_list_changeable(user=request.user).exists()


PLEDGE_NOT_CHANGEABLE = "Only CCO staff and the head of the pledge's department change it."


class PledgeWrites(SignedIn):
    """CCO staff and department heads pledge people; which department and person: the serializer's choices."""

    message = PLEDGE_NOT_CHANGEABLE

    def allows(self, request: Any, view: Any) -> bool:
        if reads_or_unrouted(request, view):
            return True
        return user_is_cco_staff(user=request.user) or bool(user_headed_department_ids(user=request.user))

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return user_is_cco_staff(user=request.user) or obj.department_id in user_headed_department_ids(
            user=request.user
        )
