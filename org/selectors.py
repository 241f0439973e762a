"""Who someone is in the organisation, and so what they may see and change.

The same answers serve the admin, the API, the review pages and the scorecards:
- CCO staff and executives see everything; CCO staff change everything, executives nothing.
- Anyone else sees the work of the departments they head or belong to, plus what they own;
  a head changes what belongs to the departments they head, an owner their own tasks.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from core.types import UserLike
from org.models import Department
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS

__all__ = ["UserLike"]

# Said wherever a department or person is named by id and does not exist.
UNKNOWN_DEPARTMENT = "There is no department {ids}."
UNKNOWN_OWNER = "There is no user {id}."


def _group_names(user: UserLike) -> set[str]:
    # Cached on the user object: role checks run many times per request.
    if not hasattr(user, "_cco_groups"):
        user._cco_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._cco_groups


def user_is_cco_staff(*, user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or CCO_STAFF in _group_names(user)))


def user_is_executive(*, user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and EXECUTIVES in _group_names(user))


def user_has_role(*, user: UserLike) -> bool:
    """Has one of the four roles (a group, or heading a department) or is a superuser: else sees nothing."""
    if not (user.is_authenticated and user.is_active):
        return False
    roles = {CCO_STAFF, DEPARTMENT_HEADS, TASK_OWNERS, EXECUTIVES}
    return bool(user.is_superuser or _group_names(user) & roles or user_headed_department_ids(user=user))


def user_has_model_permission(*, user: UserLike, permission: str) -> bool:
    """`user.has_perm("app.codename")` as Django's model backend answers it, in one small query.

    The backend loads every permission of the user and of their groups (two queries and a set
    of about a hundred) to answer one question; the API asks it on every request.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    answers = user.__dict__.setdefault("_cco_permissions", {})
    if permission not in answers:
        app_label, codename = permission.split(".", 1)
        this = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        # Through a group (the roles), else given to the person: inner joins, a second query only when refused.
        answers[permission] = this.filter(group__user=user).exists() or this.filter(user=user).exists()
    return answers[permission]


def user_roles_load(*, user: UserLike) -> None:
    """Load the user's groups and departments now, and a place for their permission answers, so
    that copies of this user (org/auth_cache.py) share them instead of asking again."""
    _group_names(user)
    user_headed_department_ids(user=user)
    user_department_ids(user=user)
    user.__dict__.setdefault("_cco_permissions", {})


def user_sees_everything(*, user: UserLike) -> bool:
    return user_is_cco_staff(user=user) or user_is_executive(user=user)


def user_headed_department_ids(*, user: UserLike) -> frozenset[int]:
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_cco_headed"):
        user._cco_headed = frozenset(Department.objects.filter(head=user).values_list("id", flat=True))
    return user._cco_headed


def user_department_ids(*, user: UserLike) -> frozenset[int]:
    """Departments the user heads or belongs to."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_cco_departments"):
        member_of = Department.objects.filter(Q(head=user) | Q(members=user)).values_list("id", flat=True)
        user._cco_departments = frozenset(member_of)
    return user._cco_departments


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("head").prefetch_related("members")


def department_list_changeable(*, user: UserLike) -> QuerySet[Department]:
    """Departments whose tasks, readings and movements this user may write: all for CCO staff, else headed."""
    if user_is_cco_staff(user=user):
        return Department.objects.all()
    if user_is_executive(user=user):
        return Department.objects.none()
    return Department.objects.filter(pk__in=user_headed_department_ids(user=user))


def user_list() -> QuerySet:
    """People, with their roles (groups) and the departments they belong to and head."""
    users = get_user_model().objects.order_by("username")
    return users.prefetch_related("groups", "departments", "headed_departments")


def user_list_assignable(*, user: UserLike) -> QuerySet:
    """People this user may make a task's owner: anyone for CCO staff, else the people of headed departments."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if user_is_cco_staff(user=user):
        return users
    headed = user_headed_department_ids(user=user)
    return users.filter(Q(departments__in=headed) | Q(headed_departments__in=headed) | Q(pk=user.pk)).distinct()


def user_list_cco_staff() -> QuerySet:
    """People who may own an initiative: the CCO office (and superusers)."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name=CCO_STAFF)).distinct().order_by("username")


def user_email_visible_ids(*, user: UserLike) -> frozenset[int] | None:
    """Whose email this user may read: everyone's for CCO staff (None), else their own and,
    for a head, the people of the departments they head."""
    if user_is_cco_staff(user=user):
        return None
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    headed = user_headed_department_ids(user=user)
    people = get_user_model().objects.filter(Q(departments__in=headed) | Q(headed_departments__in=headed))
    return frozenset(people.values_list("pk", flat=True)) | {user.pk}
