"""The roadmap grid and an initiative's timeline with hand-offs, scoped to what a user may see."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from roadmap.models import Roadmap, Task
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def roadmap(db):
    return factories.RoadmapFactory(name="FY26", status=Roadmap.Status.ACTIVE)


def test_grid_counts_each_departments_tasks_per_initiative_by_status(
    client, executive, roadmap, department, other_department
):
    onboarding = factories.InitiativeFactory(roadmap=roadmap, title="Onboarding")
    billing_fix = factories.InitiativeFactory(roadmap=roadmap, title="Billing errors")
    factories.TaskFactory(initiative=onboarding, department=department, status=Task.Status.DONE)
    factories.TaskFactory(initiative=onboarding, department=department, due_date=dt.date(2026, 5, 1))
    factories.TaskFactory(initiative=onboarding, department=department, status=Task.Status.BLOCKED)
    factories.TaskFactory(initiative=billing_fix, department=other_department)
    factories.TaskFactory(department=department)  # another roadmap: not on this grid
    client.force_login(executive)
    response = client.get(reverse("admin:review_roadmap"))
    grid = response.context["grid"]
    assert [d.name for d in grid.departments] == ["Billing", "Service"]
    cells = {i.title: cells for i, cells in grid.rows}
    assert cells["Onboarding"][0] is None
    assert cells["Onboarding"][1].counts == {"done": 1, "not_started": 1, "blocked": 1}
    assert cells["Onboarding"][1].overdue == 1
    assert cells["Billing errors"][0].total == 1
    page = response.content.decode()
    assert "3 tasks" in page and "Blocked: 1" in page and "1 overdue" in page


def test_grid_shows_every_department_but_links_only_the_tasks_the_user_may_open(
    client, roadmap, department, other_department, owner
):
    initiative = factories.InitiativeFactory(roadmap=roadmap)
    factories.TaskFactory(initiative=initiative, department=department)
    factories.TaskFactory.create_batch(2, initiative=initiative, department=other_department)
    client.force_login(owner)
    response = client.get(reverse("admin:review_roadmap"))
    assert [d.name for d in response.context["grid"].departments] == ["Billing", "Service"]
    page = response.content.decode()
    tasks = reverse("admin:roadmap_task_changelist")
    ours = f"{tasks}?initiative__id__exact={initiative.pk}&amp;department__id__exact={department.pk}"
    assert f'<a href="{ours}">1 task</a>' in page
    assert "<strong>2 tasks</strong>" in page  # Billing's count, read-only: the owner may not open them
    assert f"department__id__exact={other_department.pk}" not in page


def test_the_timeline_shows_an_owner_the_hand_offs_touching_their_tasks(
    client, roadmap, department, other_department, owner
):
    initiative = factories.InitiativeFactory(roadmap=roadmap)
    mine = factories.TaskFactory(initiative=initiative, department=department, owner=owner, title="Welcome call",
                                 due_date=dt.date(2026, 5, 1))  # fmt: skip
    waiting = factories.TaskFactory(initiative=initiative, department=other_department, title="Billing setup")
    waiting.depends_on.add(mine)
    unrelated = factories.TaskFactory(initiative=initiative, department=other_department, title="Invoice run")
    factories.TaskFactory(initiative=initiative, department=other_department, title="Price list").depends_on.add(
        unrelated
    )
    client.force_login(owner)
    response = client.get(reverse("admin:review_timeline", args=[initiative.pk]))
    timeline = response.context["timeline"]
    assert [(h.source.title, h.target.title) for h in timeline.hand_offs] == [("Welcome call", "Billing setup")]
    page = response.content.decode()
    assert "No hand-offs between departments" not in page
    assert reverse("admin:roadmap_task_change", args=[mine.pk]) in page
    assert "Billing setup" in page and reverse("admin:roadmap_task_change", args=[waiting.pk]) not in page
    assert "Invoice run" not in page and "Price list" not in page


def test_timeline_draws_hand_offs_and_marks_late_ones(client, executive, roadmap, department, other_department):
    initiative = factories.InitiativeFactory(roadmap=roadmap, title="Onboarding")
    overdue = factories.TaskFactory(
        initiative=initiative, department=other_department, title="Set up billing", due_date=dt.date(2026, 5, 1)
    )
    on_time = factories.TaskFactory(
        initiative=initiative, department=other_department, title="Send invoice", due_date=dt.date(2026, 6, 1)
    )
    waiting = factories.TaskFactory(
        initiative=initiative, department=department, title="Welcome call", due_date=dt.date(2026, 6, 10)
    )
    same_department = factories.TaskFactory(
        initiative=initiative, department=department, title="Follow up", due_date=dt.date(2026, 6, 20)
    )
    waiting.depends_on.set([overdue, on_time])
    same_department.depends_on.set([waiting])
    client.force_login(executive)
    response = client.get(reverse("admin:review_timeline", args=[initiative.pk]))
    timeline = response.context["timeline"]
    assert [(h.source.title, h.target.title, h.late) for h in timeline.hand_offs] == [
        ("Set up billing", "Welcome call", True),
        ("Send invoice", "Welcome call", False),
    ]
    page = response.content.decode()
    assert page.count('class="hand-off late"') == 1 and page.count('class="hand-off"') == 1
    assert [d.name for d, _ in timeline.lanes] == ["Billing", "Service"]
