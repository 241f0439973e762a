"""The API's short memory of who a key is (org/auth_cache.py): changes in this process are seen at
once, changes it cannot see within API_AUTH_CACHE_SECONDS, and the task list's queries stay few."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from org import auth_cache
from org.models import ApiKey, Department
from org.roles import CCO_STAFF, TASK_OWNERS
from tests import factories
from tests.api.conftest import token_client


@pytest.fixture(autouse=True)
def _remembering(settings):
    settings.API_AUTH_CACHE_SECONDS = 60
    auth_cache.auth_cache_forget()
    yield
    auth_cache.auth_cache_forget()


def _titles(client) -> set[str]:
    response = client.get("/api/v1/tasks/?page_size=100")
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_a_revoked_key_is_refused_at_once(world):
    client = token_client(world.users["owner"])
    assert client.get("/api/v1/tasks/").status_code == 200
    ApiKey.objects.filter(user=world.users["owner"]).delete()
    assert client.get("/api/v1/tasks/").status_code == 401


def test_an_expired_key_is_refused_although_remembered(world, time_machine):
    client = token_client(world.users["owner"])
    assert client.get("/api/v1/tasks/").status_code == 200
    expires_at = ApiKey.objects.get(user=world.users["owner"]).expires_at
    time_machine.move_to(expires_at + dt.timedelta(seconds=1))
    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_deactivated_person_is_refused_at_once(world):
    owner = world.users["owner"]
    client = token_client(owner)
    assert client.get("/api/v1/tasks/").status_code == 200
    owner.is_active = False
    owner.save()
    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_role_taken_away_is_seen_at_once(world):
    cco = world.users["cco"]
    client = token_client(cco)
    assert "Task E" in _titles(client)
    cco.groups.remove(Group.objects.get(name=CCO_STAFF))
    assert client.get("/api/v1/tasks/").status_code == 403


def test_a_permission_taken_from_a_role_is_seen_at_once(world):
    client = token_client(world.users["owner"])
    assert client.get("/api/v1/tasks/").status_code == 200
    Group.objects.get(name=TASK_OWNERS).permissions.remove(Permission.objects.get(codename="view_task"))
    assert client.get("/api/v1/tasks/").status_code == 403


def test_a_head_replaced_no_longer_sees_the_department_at_once(world):
    head, department = world.users["head"], world.department
    client = token_client(head)
    assert "Task D2" in _titles(client)
    department.head = factories.UserFactory()
    department.save()
    assert "Task D2" not in _titles(client)


def test_a_member_moved_out_sees_only_their_own_tasks_at_once(world):
    owner = world.users["owner"]
    client = token_client(owner)
    assert _titles(client) == {"Task D", "Task D2"}
    world.department.members.remove(owner)
    assert _titles(client) == {"Task D"}


def test_a_change_without_signals_is_seen_within_the_setting(world, settings, monkeypatch):
    head = world.users["head"]
    client, someone = token_client(head), factories.UserFactory()
    assert "Task D2" in _titles(client)
    Department.objects.filter(pk=world.department.pk).update(head=someone)  # sends no signal
    assert "Task D2" in _titles(client)  # remembered: another process's change looks like this
    later = auth_cache.time.monotonic() + settings.API_AUTH_CACHE_SECONDS
    monkeypatch.setattr(auth_cache.time, "monotonic", lambda: later)
    assert "Task D2" not in _titles(client)


def test_zero_seconds_asks_the_database_every_time(world, settings):
    settings.API_AUTH_CACHE_SECONDS = 0
    client = token_client(world.users["head"])
    assert "Task D2" in _titles(client)
    Department.objects.filter(pk=world.department.pk).update(head=factories.UserFactory())
    assert "Task D2" not in _titles(client)


def test_a_remembered_user_is_a_fresh_object_each_request(world):
    from org.api_keys import api_key_authenticate, api_key_create

    _record, key = api_key_create(user=world.users["head"])
    first, second = api_key_authenticate(key=key), api_key_authenticate(key=key)
    assert first is not second and first.user is not second.user
    first.user.first_name = "Changed by one request"
    assert second.user.first_name != "Changed by one request"
    assert api_key_authenticate(key=key).user.first_name != "Changed by one request"


@pytest.mark.parametrize("role", ["cco", "head"])
def test_the_task_list_runs_two_or_three_queries_once_the_key_is_known(world, role, django_assert_num_queries):
    """The page, the COUNT when the page is full, the page's dependencies; the key, roles and
    permission are remembered."""
    for _ in range(3):
        factories.TaskFactory(initiative=world.initiative, department=world.department)
    client = token_client(world.users[role])
    url = f"/api/v1/tasks/?department={world.department.pk}"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(first) <= 8  # key, mark used, groups, headed, departments, permission, then the two
    with django_assert_num_queries(3):
        response = client.get(url + "&page_size=2")
    assert response.json()["count"] == 5 and len(response.json()["results"]) == 2
    with django_assert_num_queries(2):  # the last page tells the count
        response = client.get(url + "&page_size=2&page=3")
    assert response.json()["count"] == 5 and len(response.json()["results"]) == 1


def test_the_fast_renderer_writes_what_drf_writes(world):
    from rest_framework.renderers import JSONRenderer

    from core.api import FastJSONRenderer

    data = {"title": "Line\u2028break \u00e9 \u2029", "n": [1, None, True, {"x": "y"}], "at": timezone.now()}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    del data["at"]  # the plain values orjson writes itself
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    client = token_client(world.users["cco"])
    body = client.get("/api/v1/tasks/?page_size=100").content
    assert body == JSONRenderer().render(client.get("/api/v1/tasks/?page_size=100").json())
