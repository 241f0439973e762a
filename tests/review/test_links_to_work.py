"""Lists that lead to work: the task list's "show" filters (default: open tasks) and the review pages' links."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
TASKS = reverse("admin:roadmap_task_changelist")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def tasks(department, other_department, owner, head):
    t = factories.TaskFactory
    made = {
        "late": t(department=department, owner=owner, title="Late one", due_date=dt.date(2026, 5, 10),
                  status="in_progress"),
        "week": t(department=department, owner=owner, title="This week", due_date=dt.date(2026, 5, 24)),
        "blocked": t(department=department, owner=head, title="Blocked one", due_date=dt.date(2026, 7, 1),
                     status="blocked"),
        "slipped": t(department=department, owner=head, title="Slipped one", due_date=dt.date(2026, 8, 1),
                     status="in_progress", slip_count=1),
        "quiet": t(department=department, owner=owner, title="Quiet one", due_date=dt.date(2026, 9, 1),
                   status="in_progress", status_changed_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)),
        "done": t(department=department, owner=owner, title="Done one", due_date=dt.date(2026, 5, 1), status="done"),
        "theirs": t(department=other_department, title="Theirs", due_date=dt.date(2026, 5, 21)),
    }  # fmt: skip
    return made


def shown(client, **query) -> list[str]:
    response = client.get(TASKS, query)
    assert response.status_code == 200
    return [task.title for task in response.context["cl"].result_list]


def test_the_task_list_defaults_to_open_tasks_by_due_date(client, cco_staff, tasks):
    client.force_login(cco_staff)
    assert shown(client) == ["Late one", "Theirs", "This week", "Blocked one", "Slipped one", "Quiet one"]
    assert "Done one" in shown(client, show="all")


@pytest.mark.parametrize(
    ("show", "titles"),
    [
        ("mine", ["Late one", "This week", "Quiet one"]),
        ("my_departments", ["Late one", "This week", "Blocked one", "Slipped one", "Quiet one"]),
        ("overdue", ["Late one"]),
        ("this_week", ["Theirs", "This week"]),
        ("blocked", ["Blocked one"]),
        ("slipped", ["Slipped one"]),
    ],
)
def test_the_show_filters(client, owner, tasks, show, titles):
    client.force_login(owner)
    visible = [title for title in titles if title != "Theirs"]  # an owner sees their departments' tasks only
    assert shown(client, show=show) == visible


def test_the_stale_filter_uses_the_reminder_settings(client, cco_staff, tasks):
    client.force_login(cco_staff)
    # In progress, and no check-in nor status change since 6 May (14 days before 20 May): only the quiet one.
    assert shown(client, stale="yes") == ["Quiet one"]
    factories.CheckInFactory(task=tasks["quiet"], date=dt.date(2026, 5, 19))
    assert "Quiet one" not in shown(client, stale="yes")


def test_the_list_shows_people_by_full_name_and_dates_in_iso(client, cco_staff, owner, tasks):
    client.force_login(cco_staff)
    page = client.get(TASKS).content.decode()
    assert owner.get_full_name() in page and "2026-05-24" in page and "2026-05-10 overdue" in page


def test_dashboard_counts_and_department_tasks_link_to_the_work(client, executive, department, tasks):
    factories.ScorecardFactory(department=department, period_start=dt.date(2026, 4, 1), tasks_due=3, tasks_overdue=1)
    client.force_login(executive)
    dashboard = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q2"}).content.decode()
    in_period = f"department__id__exact={department.pk}&amp;due_date__gte=2026-04-01&amp;due_date__lte=2026-06-30"
    assert f'href="{TASKS}?{in_period}&amp;show=overdue">1</a>' in dashboard
    page = client.get(reverse("admin:review_department", args=[department.slug])).content.decode()
    assert reverse("admin:roadmap_task_change", args=[tasks["late"].pk]) in page
    assert f"{TASKS}?department__id__exact={department.pk}&amp;show=overdue" in page
