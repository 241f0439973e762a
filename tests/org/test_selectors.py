"""Who someone is in the organisation, as every admin page, endpoint and scorecard asks it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS
from org.selectors import (
    department_list_changeable,
    user_department_ids,
    user_headed_department_ids,
    user_is_cco_staff,
    user_is_executive,
    user_list_assignable,
    user_list_cco_staff,
    user_sees_everything,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("group", "superuser", "staff", "executive", "everything"),
    [
        (CCO_STAFF, False, True, False, True),
        (EXECUTIVES, False, False, True, True),
        (DEPARTMENT_HEADS, False, False, False, False),
        (TASK_OWNERS, False, False, False, False),
        (None, True, True, False, True),
    ],
)
def test_each_role_is_recognised(group, superuser, staff, executive, everything):
    user = factories.UserFactory(role=group, is_superuser=superuser)
    assert user_is_cco_staff(user=user) is staff
    assert user_is_executive(user=user) is executive
    assert user_sees_everything(user=user) is everything


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_anonymous_and_inactive_people_are_nobody(user):
    user = user or factories.CCOStaffFactory(is_active=False)
    assert not user_sees_everything(user=user)
    assert user_department_ids(user=user) == frozenset()
    assert not department_list_changeable(user=user).exists()


def test_a_head_heads_their_department_and_belongs_to_the_ones_they_are_a_member_of(department, other_department):
    head = department.head
    other_department.members.add(head)
    assert user_headed_department_ids(user=head) == {department.pk}
    assert user_department_ids(user=head) == {department.pk, other_department.pk}
    assert list(department_list_changeable(user=head)) == [department]


def test_cco_staff_change_every_department_and_executives_none(cco_staff, executive, department, other_department):
    assert set(department_list_changeable(user=cco_staff)) == {department, other_department}
    assert not department_list_changeable(user=executive).exists()


def test_a_head_assigns_tasks_to_the_people_of_their_departments_only(department, other_department, owner):
    stranger = factories.TaskOwnerFactory(username="stranger")
    other_department.members.add(stranger)
    inactive = factories.TaskOwnerFactory(username="gone", is_active=False)
    department.members.add(inactive)
    assignable = set(user_list_assignable(user=department.head))
    assert assignable == {department.head, owner}


def test_initiatives_are_owned_by_the_cco_office(cco_staff, executive, owner):
    boss = factories.UserFactory(username="root", is_superuser=True)
    assert list(user_list_cco_staff()) == [cco_staff, boss]
