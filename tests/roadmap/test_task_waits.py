"""A task's page lists who waits on it and what it waits on, linking only the tasks the reader may open."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_task_page_lists_waiting_on_this_task_and_this_task_waits_on(client, department, other_department, owner):
    mine = factories.TaskFactory(department=department, owner=owner, title="Refund backlog",
                                 due_date=dt.date(2026, 6, 10), status="in_progress")  # fmt: skip
    waiting = factories.TaskFactory(department=other_department, title="Billing fix", due_date=dt.date(2026, 7, 1))
    waiting.depends_on.add(mine)
    awaited = factories.TaskFactory(department=department, title="Template", due_date=dt.date(2026, 6, 1))
    mine.depends_on.add(awaited)
    client.force_login(owner)

    page = client.get(reverse("admin:roadmap_task_change", args=[mine.pk])).content.decode()

    on_this = page[page.index('id="waiting-on-this"') : page.index('id="this-waits-on"')]
    assert "Billing fix" in on_this and other_department.name in on_this and "2026-07-01" in on_this
    assert waiting.owner.get_full_name() in on_this and "Not started" in on_this
    assert reverse("admin:roadmap_task_change", args=[waiting.pk]) not in on_this  # Billing's: not openable
    waits_on = page[page.index('id="this-waits-on"') :]
    assert reverse("admin:roadmap_task_change", args=[awaited.pk]) in waits_on and "2026-06-01" in waits_on
    assert "History" in page  # the page keeps its history button
