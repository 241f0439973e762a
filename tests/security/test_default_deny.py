"""An account with no role sees nothing; the groups' model permissions hold in the API; emails stay private."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from rest_framework.test import APIClient

from org.roles import TASK_OWNERS
from tests import factories
from tests.api.conftest import token_client

ROUTERS = ["org.api.urls", "roadmap.api.urls", "customers.api.urls", "accountability.api.urls", "integrations.api.urls"]
LISTS = [prefix for module in ROUTERS for prefix, _viewset, _name in import_module(module).router.registry]
OTHER = [
    "scorecard-settings/",
    "schema/?format=json",
    "initiatives/1/follow-through/",
    "budget/",
    "budget/duplicates/",
    "owners/{self}/report/",
]


@pytest.fixture
def nobody(world):
    """Active, staff, with a password, in no group and no department."""
    return factories.UserFactory(username="nobody")


@pytest.mark.parametrize("path", [f"{prefix}/" for prefix in LISTS] + OTHER)
def test_an_account_with_no_role_reads_nothing_through_the_api(nobody, path):
    response = token_client(nobody).get(f"/api/v1/{path}".replace("{self}", str(nobody.pk)))  # not even their own
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your account has no role yet, so it sees nothing: ask CCO staff to give you one."
    }


def test_an_account_with_no_role_gets_no_api_docs(nobody):
    client = APIClient()
    client.force_login(nobody)
    assert client.get("/api/v1/docs/").status_code == 403


@pytest.mark.parametrize("path", ["tasks/", "readings/", "recognitions/", "check-ins/", "auth/keys/"])
def test_an_account_with_no_role_writes_nothing_through_the_api(nobody, world, path):
    response = token_client(nobody).post(f"/api/v1/{path}", {"task": world.task.pk, "note": "x"}, format="json")
    assert response.status_code == 403


def test_an_account_with_no_role_may_still_get_a_key_but_it_opens_nothing(nobody):
    response = APIClient().post("/api/v1/auth/token/", {"username": "nobody", "password": "pw-for-tests"})
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/scorecards/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/review/",
        "/admin/roadmap/task/",
        "/admin/accountability/scorecard/",
        "/admin/org/apikey/",
        "/admin/calendar/",
        "/admin/org/ssomapping/",
        "/admin/review/owner/{self}/",
        "/admin/review/owner/{self}/report.csv",
    ],
)
def test_an_account_with_no_role_sees_only_a_page_saying_so_in_the_admin(nobody, path):
    client = Client()
    client.force_login(nobody)
    response = client.get(path.format(self=nobody.pk), follow=True)  # not even their own report
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your account has no role yet" in page
    assert "Task D" not in page and "Service" not in page


def test_a_role_restores_the_admin_and_the_api(nobody, world):
    nobody.groups.add(Group.objects.get(name=TASK_OWNERS))
    world.department.members.add(nobody)
    client = Client()
    client.force_login(nobody)
    assert client.get("/admin/").status_code == 200
    assert token_client(nobody).get("/api/v1/tasks/").status_code == 200


def test_the_api_honours_a_group_losing_a_model_permission(world):
    owners = Group.objects.get(name=TASK_OWNERS)
    client = token_client(world.users["owner"])
    assert client.get("/api/v1/tasks/").status_code == 200
    owners.permissions.remove(Permission.objects.get(codename="view_task"))
    response = client.get("/api/v1/tasks/")
    assert response.status_code == 403 and "roadmap.view_task" in response.json()["detail"]
    owners.permissions.remove(Permission.objects.get(codename="add_checkin"))
    body = {"task": world.task.pk, "percent_complete": 30, "confidence": "amber"}
    assert client.post("/api/v1/check-ins/", body, format="json").status_code == 403
    assert not world.task.check_ins.exclude(pk=world.check_in.pk).exists()


def _emails(user) -> dict[str, str | None]:
    rows = token_client(user).get("/api/v1/users/?page_size=500").json()["results"]
    return {row["username"]: row["email"] for row in rows}


def test_emails_are_shown_to_cco_staff_to_the_persons_heads_and_to_themselves(world):
    everyone = _emails(world.users["cco"])
    assert everyone["other_owner"] == "other_owner@example.com" and everyone["owner"] == "owner@example.com"
    head = _emails(world.users["head"])  # heads the department of owner and colleague
    assert head["owner"] == "owner@example.com" and head["colleague"] == "colleague@example.com"
    assert head["other_owner"] is None and head["exec"] is None
    owner = _emails(world.users["owner"])
    assert owner["owner"] == "owner@example.com"
    assert {name for name, email in owner.items() if email} == {"owner"}
    executive = _emails(world.users["executive"])
    assert {name for name, email in executive.items() if email} == {"exec"}


def test_a_hidden_email_cannot_be_found_by_searching_for_it(world):
    found = token_client(world.users["owner"]).get("/api/v1/users/?search=colleague@example.com").json()
    assert found["count"] == 0


def test_a_model_permission_given_to_the_person_counts_as_django_counts_it(world):
    """The API asks one small query (org/selectors.py), not Django's backend: the answers agree."""
    from django.contrib.auth import get_user_model

    from org.selectors import user_has_model_permission

    owners = Group.objects.get(name=TASK_OWNERS)
    owners.permissions.remove(Permission.objects.get(codename="view_task"))
    client = token_client(world.users["owner"])
    assert client.get("/api/v1/tasks/").status_code == 403
    world.users["owner"].user_permissions.add(Permission.objects.get(codename="view_task"))
    assert client.get("/api/v1/tasks/").status_code == 200
    for user in get_user_model().objects.all():
        for permission in ("roadmap.view_task", "roadmap.add_task", "roadmap.delete_initiative", "org.add_department"):
            assert user_has_model_permission(user=user, permission=permission) == user.has_perm(permission), (
                user.username,
                permission,
            )
