"""The task list finds a page's rows by id before reading them (core/admin_pages.py): every page, sort,
filter and search shows the rows Django's own one-query page shows, in the same order."""

import datetime as dt
import itertools

import pytest
from django.contrib import admin
from django.urls import reverse

from roadmap.models import Health, Task
from tests import factories

pytestmark = pytest.mark.django_db
PER_PAGE = 7


@pytest.fixture
def tasks(department, owner, monkeypatch):
    """23 tasks over a few due dates (ties broken by id), owners, statuses and latest confidences."""
    monkeypatch.setattr(admin.site._registry[Task], "list_per_page", PER_PAGE)
    owners = itertools.cycle([owner, factories.TaskOwnerFactory(last_name="Adams"), None])
    statuses = itertools.cycle(["not_started", "in_progress", "blocked", "done", "in_progress"])
    confidences = itertools.cycle([*Health.values, None])
    initiative = factories.InitiativeFactory()
    for i in range(23):
        task = factories.TaskFactory(
            department=department,
            initiative=initiative,
            owner=next(owners),
            status=next(statuses),
            due_date=dt.date(2026, 3, 1) + dt.timedelta(days=i % 4),
            title=f"Task {i % 5}",
        )
        confidence = next(confidences)
        if confidence:
            factories.CheckInFactory(task=task, author=task.owner or department.head, confidence=confidence)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"p": "2"},
        {"p": "3"},
        {"show": "all", "p": "2"},
        {"show": "all", "o": "-10"},  # by latest confidence, a subquery annotation
        {"show": "all", "o": "4.-2", "p": "2"},  # by owner's last name, then due date descending
        {"show": "all", "q": "Task 3"},
        {"status__exact": "in_progress"},
        {"show": "all", "all": ""},  # "show all": one page, not cut
    ],
)
@pytest.mark.parametrize("who", ["cco_staff", "head"])  # everything, and a scope of their departments
def test_each_page_shows_the_rows_of_djangos_own_page_in_its_order(client, request, tasks, who, query):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:roadmap_task_changelist"), query)
    assert response.status_code == 200
    cl = response.context["cl"]
    shown = [task.pk for task in cl.result_list]
    if cl.multi_page and not cl.show_all:
        start = (cl.page_num - 1) * PER_PAGE
        expected = list(cl.queryset[start : start + PER_PAGE].values_list("pk", flat=True))
    else:
        expected = list(cl.queryset.values_list("pk", flat=True))
    assert shown == expected
    assert shown, "every case shows rows"
    assert all(hasattr(task, "last_confidence") for task in cl.result_list)
