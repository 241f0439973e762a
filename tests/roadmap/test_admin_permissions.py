"""What each role sees and may change in the roadmap admin, generated from one table.

`hidden`: the object is outside the user's queryset, so Django redirects to the admin index;
`login`: anonymous users are sent to the login page; `post` is a POST to the change page
(200: the form came back with errors, so permission was granted; 403: refused).
"""

import pytest
from django.urls import reverse

from org.models import Department, Profile
from roadmap.models import Initiative, Roadmap
from tests.admin_world import (
    ROLES,
    lists_by_role,
    login,
    outcome,
    outcomes_by_role,
    parse_matrix,
)

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]  # about roles, not the database

TABLE = """
model               object      view        cco  head  other_head  owner   executive
org.department  department  changelist  200  200   200         200     200
org.department  department  add         200  403   403         403     403
org.department  department  change      200  200   200         200     200
org.department  department  post        200  403   403         403     403
org.department  department  delete      200  403   403         403     403
org.profile     profile     changelist  200  200   200         200     200
org.profile     profile     add         200  403   403         403     403
org.profile     profile     change      200  200   200         200     200
org.profile     profile     post        200  403   403         403     403
org.profile     profile     delete      200  403   403         403     403
roadmap.roadmap     roadmap     changelist  200  200   200         200     200
roadmap.roadmap     roadmap     add         200  403   403         403     403
roadmap.roadmap     roadmap     change      200  200   200         200     200
roadmap.roadmap     roadmap     post        200  403   403         403     403
roadmap.roadmap     roadmap     delete      200  403   403         403     403
roadmap.initiative  initiative  changelist  200  200   200         200     200
roadmap.initiative  initiative  add         200  200   200         403     403
roadmap.initiative  initiative  change      200  200   200         200     200
roadmap.initiative  initiative  post        200  403   403         403     403
roadmap.initiative  initiative  delete      200  403   403         403     403
roadmap.task        task_d      changelist  200  200   200         200     200
roadmap.task        task_d      add         200  200   200         403     403
roadmap.task        task_d      change      200  200   hidden      200     200
roadmap.task        task_d      post        200  200   hidden      200     403
roadmap.task        task_d      delete      200  200   hidden      403     403
# a colleague's task: the owner reads it but may not change it
roadmap.task        task_d2     change      200  200   hidden      200     200
roadmap.task        task_d2     post        200  200   hidden      403     403
roadmap.task        task_e      change      200  hidden 200        hidden  200
roadmap.task        task_e      post        200  hidden 200        hidden  403
roadmap.checkin     check_in_d  changelist  200  200   200         200     200
roadmap.checkin     check_in_d  add         200  200   200         200     403
roadmap.checkin     check_in_d  change      200  200   hidden      200     200
roadmap.checkin     check_in_d  post        200  200   hidden      403     403
roadmap.checkin     check_in_d  delete      200  200   hidden      403     403
roadmap.checkin     check_in_e  change      200  hidden 200        hidden  200
roadmap.checkin     check_in_e  delete      200  hidden 200        403     403
"""
MATRIX = parse_matrix(TABLE)

# What each changelist lists, per role (objects named as in the `world` fixture).
SCOPED_LISTS = {
    "roadmap.task": {
        "cco": "task_d task_d2 task_e",
        "head": "task_d task_d2",
        "other_head": "task_e",
        "owner": "task_d task_d2",
        "executive": "task_d task_d2 task_e",
    },
    "roadmap.checkin": {
        "cco": "check_in_d check_in_e",
        "head": "check_in_d",
        "other_head": "check_in_e",
        "owner": "check_in_d",
        "executive": "check_in_d check_in_e",
    },
}
UNSCOPED = {"org.department": Department, "org.profile": Profile, "roadmap.roadmap": Roadmap}
UNSCOPED["roadmap.initiative"] = Initiative


@pytest.mark.parametrize(("model", "obj"), list(MATRIX))
def test_each_role_gets_the_status_the_table_gives(client, world, model, obj):
    expected = MATRIX[(model, obj)]
    assert outcomes_by_role(client, world, model=model, obj_name=obj, expected=expected) == expected


@pytest.mark.parametrize("model", list(SCOPED_LISTS))
def test_a_changelist_lists_only_what_the_role_may_see(client, world, model):
    expected = {role: {getattr(world, name) for name in names.split()} for role, names in SCOPED_LISTS[model].items()}
    assert lists_by_role(client, world, model=model, roles=expected) == expected


@pytest.mark.parametrize("model", list(UNSCOPED))
def test_every_role_lists_every_department_roadmap_initiative_and_profile(client, world, model):
    everything = set(UNSCOPED[model].objects.all())
    roles = [role for role in ROLES if role != "anonymous"]
    assert lists_by_role(client, world, model=model, roles=roles) == dict.fromkeys(roles, everything)


def test_every_role_reaches_the_admin_index_and_anonymous_is_sent_to_login(client, world):
    outcomes = {}
    for role in ROLES:
        client.logout()
        login(client, world.users[role])
        outcomes[role] = outcome(client.get(reverse("admin:index")))
    assert outcomes == {**dict.fromkeys(ROLES, "200"), "anonymous": "login"}
