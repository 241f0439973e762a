"""ETags from `version` on tasks, initiatives and targets; a stale If-Match gets 412 and changes nothing."""

import pytest

from roadmap.models import Task
from tests import factories
from tests.api.conftest import token_client


@pytest.fixture
def task(department, owner):
    return factories.TaskFactory(department=department, owner=owner, title="Original")


def test_the_second_of_two_concurrent_updates_gets_412_and_the_first_stands(task, head, cco_staff):
    first, second = token_client(head), token_client(cco_staff)
    url = f"/api/v1/tasks/{task.pk}/"
    etag_first, etag_second = first.get(url)["ETag"], second.get(url)["ETag"]
    assert etag_first == etag_second == '"1"'

    ok = first.patch(url, {"title": "First"}, format="json", HTTP_IF_MATCH=etag_first)
    stale = second.patch(url, {"title": "Second"}, format="json", HTTP_IF_MATCH=etag_second)

    assert ok.status_code == 200 and ok["ETag"] == '"2"'
    assert stale.status_code == 412
    assert "If-Match" in stale.json()
    task.refresh_from_db()
    assert (task.title, task.version) == ("First", 2)


def test_an_update_without_if_match_is_accepted(task, head):
    response = token_client(head).patch(f"/api/v1/tasks/{task.pk}/", {"percent_complete": 60}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'


@pytest.mark.parametrize("header", ["garbage", '"abc"', "3"])
def test_a_malformed_if_match_is_412_and_changes_nothing(task, head, header):
    response = token_client(head).patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "X"}, format="json", HTTP_IF_MATCH=header
    )
    assert response.status_code == 412 and "If-Match" in response.json()
    assert Task.objects.get(pk=task.pk).title == "Original"


def test_if_match_star_is_accepted(task, head):
    response = token_client(head).patch(f"/api/v1/tasks/{task.pk}/", {"title": "Y"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("endpoint", "make", "change"),
    [
        ("initiatives", lambda: factories.InitiativeFactory(), {"health": "red"}),
        ("targets", lambda: factories.TargetFactory(), {"target_value": "90"}),
    ],
)
def test_initiatives_and_targets_carry_etags_too(endpoint, make, change, cco_staff):
    obj, client = make(), token_client(cco_staff)
    url = f"/api/v1/{endpoint}/{obj.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 412
    obj.refresh_from_db()
    assert obj.version == 2
