"""The fuzzer's object-level check catches what it is there for (so a green fuzz run means something)."""

import json
from types import SimpleNamespace

import pytest

from org.api_keys import api_key_create
from tests import factories
from tests.api.fuzz_scope import resource, within_scope


def _answer(status: int, body) -> SimpleNamespace:
    return SimpleNamespace(status_code=status, content=json.dumps(body).encode())


def _case(method: str, path: str) -> SimpleNamespace:
    return SimpleNamespace(method=method, operation=SimpleNamespace(path=path, label=f"{method} {path}"))


def test_resources_are_named_from_the_path():
    assert resource("/api/v1/tasks/{id}/") == "tasks"
    assert resource("/api/v1/readings/bulk/") == "readings/bulk"
    assert resource("/api/v1/auth/keys/{id}/") == "auth/keys"


def test_a_list_showing_another_departments_task_fails_the_check(world):
    check = within_scope(world.users["head"].pk)
    check(None, _answer(200, {"results": [{"id": world.task_d.pk}]}), _case("GET", "/api/v1/tasks/"))
    with pytest.raises(AssertionError, match="outside the user's scope"):
        check(None, _answer(200, {"results": [{"id": world.task_e.pk}]}), _case("GET", "/api/v1/tasks/"))


def test_a_change_to_a_task_not_the_users_fails_the_check(world):
    check = within_scope(world.users["owner"].pk)
    check(None, _answer(200, {"id": world.task_d.pk}), _case("PATCH", "/api/v1/tasks/{id}/"))
    with pytest.raises(AssertionError, match="not changeable"):
        check(None, _answer(200, {"id": world.task_d2.pk}), _case("PATCH", "/api/v1/tasks/{id}/"))


def test_any_success_for_an_account_with_no_role_fails_the_check(world):
    check = within_scope(factories.UserFactory(username="nobody").pk)
    check(None, _answer(200, {"token": "x"}), _case("POST", "/api/v1/auth/token/"))
    check(None, _answer(403, {"detail": "no"}), _case("GET", "/api/v1/scorecards/"))
    with pytest.raises(AssertionError, match="no role"):
        check(None, _answer(200, {"results": []}), _case("GET", "/api/v1/scorecards/"))


def test_an_executive_changing_anything_but_their_keys_fails_the_check(world):
    check = within_scope(world.users["executive"].pk)
    own, _key = api_key_create(user=world.users["executive"])
    check(None, _answer(201, {"id": own.pk, "name": "k"}), _case("POST", "/api/v1/auth/keys/"))
    with pytest.raises(AssertionError, match="executive changed something"):
        check(None, _answer(201, {"id": 5, "task": None}), _case("POST", "/api/v1/recognitions/"))


def test_an_owner_report_the_user_may_not_read_fails_the_check(world):
    check, case = within_scope(world.users["other_head"].pk), _case("GET", "/api/v1/owners/{user_id}/report/")
    check(None, _answer(200, {"owner": world.users["other_head"].pk}), case)  # their own
    with pytest.raises(AssertionError, match="report"):
        check(None, _answer(200, {"owner": world.users["owner"].pk}), case)  # another department's owner
