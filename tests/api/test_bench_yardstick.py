"""bench/api.py's yardstick answers what the task list answers, byte for byte (but for its own
address in the `next` link): the same rows, fields, order, visibility, datetimes and JSON, so
that the benchmark compares the same work."""

import datetime as dt

import pytest
from django.test import RequestFactory

from org.api_keys import api_key_create
from roadmap.api.bench import raw_tasks
from roadmap.models import Task
from tests import factories
from tests.api.conftest import token_client

# Winter (GMT, written Z) and summer (BST, +01:00) in the configured zone, with and without microseconds.
MOMENTS = [dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, 23, 59, 59, 123456, tzinfo=dt.UTC)]
MOMENTS += [dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC)]


def _tasks(world) -> None:
    owner = world.users["owner"]
    tasks = [factories.TaskFactory(initiative=world.initiative, department=world.department) for _ in range(4)]
    tasks.append(factories.TaskFactory(initiative=world.initiative, department=world.department, owner=owner))
    tasks[0].depends_on.add(tasks[1], tasks[2])
    for n, task in enumerate(tasks):
        done = Task.Status.DONE if n % 2 else Task.Status.IN_PROGRESS
        Task.objects.filter(pk=task.pk).update(
            description="Café\u2028line é" if n == 0 else "",
            status=done,
            completed_at=MOMENTS[n % 4] if done == Task.Status.DONE else None,
            status_changed_at=MOMENTS[(n + 1) % 4],
            created_at=MOMENTS[(n + 2) % 4],
            updated_at=MOMENTS[(n + 3) % 4],
        )


@pytest.mark.parametrize("role", ["cco", "head", "owner"])
def test_the_yardstick_answers_the_task_list_byte_for_byte(world, role):
    _tasks(world)
    user = world.users[role]
    _api_key, key = api_key_create(user=user, name="yardstick")
    for size in (3, 100):  # a first page with a next link, and the whole list
        query = {"department": world.department.pk, "page_size": size}
        api = token_client(user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        expected = api.get("/api/v1/tasks/", query)
        raw = raw_tasks(RequestFactory().get("/bench/raw-tasks/", query, HTTP_AUTHORIZATION=f"Token {key}"))
        assert expected.status_code == raw.status_code == 200
        assert raw.content.replace(b"/bench/raw-tasks/", b"/api/v1/tasks/") == expected.content
        assert b"Z" in raw.content and b"+01:00" in raw.content and b"\\u2028" in raw.content
