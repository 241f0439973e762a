"""Reads of the roadmap, including what a given user may see and change.

The same scoping serves the admin, the API and the scorecards:
- CCO staff and executives see everything; CCO staff change everything, executives nothing.
- Anyone else sees the tasks (and their check-ins) of the departments they head or belong
  to, plus the tasks they own; a head changes the tasks of the departments they head, an
  owner changes their own tasks and adds check-ins to them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from roadmap.models import CheckIn, Department, Initiative, Roadmap, Task
from roadmap.roles import CCO_STAFF, EXECUTIVES

UserLike = AbstractBaseUser | AnonymousUser


def _group_names(user: UserLike) -> set[str]:
    # Cached on the user object: role checks run many times per request.
    if not hasattr(user, "_cco_groups"):
        user._cco_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._cco_groups


def user_is_cco_staff(*, user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or CCO_STAFF in _group_names(user)))


def user_is_executive(*, user: UserLike) -> bool:
    return bool(user.is_authenticated and user.is_active and EXECUTIVES in _group_names(user))


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


def roadmap_list() -> QuerySet[Roadmap]:
    return Roadmap.objects.all()


def initiative_list() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("roadmap", "owner").prefetch_related("department_links__department")


def task_list(*, user: UserLike) -> QuerySet[Task]:
    """The tasks this user may see, with what a task list displays joined in."""
    qs = Task.objects.select_related("initiative", "department", "owner")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department_id__in=user_department_ids(user=user)) | Q(owner=user))


def task_list_changeable(*, user: UserLike) -> QuerySet[Task]:
    """The tasks this user may change."""
    qs = task_list(user=user)
    if user_is_cco_staff(user=user):
        return qs
    if user_is_executive(user=user) or not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department_id__in=user_headed_department_ids(user=user)) | Q(owner=user))


def task_changeable_by(*, task: Task, user: UserLike) -> bool:
    if user_is_cco_staff(user=user):
        return True
    if user_is_executive(user=user) or not (user.is_authenticated and user.is_active):
        return False
    return task.department_id in user_headed_department_ids(user=user) or task.owner_id == user.pk


def check_in_list(*, user: UserLike) -> QuerySet[CheckIn]:
    qs = CheckIn.objects.select_related("task", "task__department", "author")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(task__department_id__in=user_department_ids(user=user)) | Q(task__owner=user))


def check_in_addable_by(*, task: Task, user: UserLike) -> bool:
    """CCO staff, the head of the task's department, and the task's owner add check-ins."""
    return task_changeable_by(task=task, user=user)


def check_in_changeable_by(*, check_in: CheckIn, user: UserLike) -> bool:
    """Check-ins are a record: CCO staff and the head of the department correct them."""
    if user_is_cco_staff(user=user):
        return True
    return check_in.task.department_id in user_headed_department_ids(user=user)


def task_visible_to(*, task: Task, user: UserLike) -> bool:
    """The object-level twin of `task_list`: may this user see this task?"""
    if user_sees_everything(user=user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return task.department_id in user_department_ids(user=user) or task.owner_id == user.pk


def department_list_changeable(*, user: UserLike) -> QuerySet[Department]:
    """Departments whose tasks, readings and movements this user may write: all for CCO staff, else headed."""
    if user_is_cco_staff(user=user):
        return Department.objects.all()
    if user_is_executive(user=user):
        return Department.objects.none()
    return Department.objects.filter(pk__in=user_headed_department_ids(user=user))


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


def task_dependency_ids(*, task_ids: list[int]) -> dict[int, list[int]]:
    """The ids each of these tasks depends on, in one query (for lists of many tasks)."""
    through = Task.depends_on.through.objects.filter(from_task_id__in=task_ids).order_by("to_task_id")
    depends: dict[int, list[int]] = {task_id: [] for task_id in task_ids}
    for source, target in through.values_list("from_task_id", "to_task_id"):
        depends[source].append(target)
    return depends
