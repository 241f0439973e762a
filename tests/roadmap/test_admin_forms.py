"""Bad input through the roadmap admin is a form error naming the field, and nothing is saved.

Good input goes through the services (versions bump, history records who).
"""

import datetime as dt

import pytest
from django.urls import reverse

from roadmap.models import CheckIn, Initiative, Task
from roadmap.services import initiative_update, task_create, task_update
from tests import factories
from tests.admin_world import form_data

pytestmark = pytest.mark.django_db

TASK_ADD = reverse("admin:roadmap_task_add")


def task_change(task):
    return reverse("admin:roadmap_task_change", args=[task.pk])


@pytest.fixture
def initiative(cco_staff):
    return factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30), owner=cco_staff)


def new_task_data(client, initiative, department, **changes):
    data = form_data(client.get(TASK_ADD))
    data.update(initiative=initiative.pk, department=department.pk, title="Call every lost customer")
    data.update(due_date="2026-03-01", status="not_started", percent_complete="0")
    data.update(changes)
    return data


def test_a_task_due_after_its_initiative_ends_is_an_error_on_due_date_and_nothing_is_saved(
    client, cco_staff, initiative, department
):
    client.force_login(cco_staff)
    response = client.post(TASK_ADD, new_task_data(client, initiative, department, due_date="2026-07-01"))
    assert response.status_code == 200
    assert "initiative's dates" in response.context["adminform"].form.errors["due_date"][0]
    assert not Task.objects.exists()


def test_the_override_lets_the_admin_save_a_due_date_outside_the_initiative(client, cco_staff, initiative, department):
    client.force_login(cco_staff)
    data = new_task_data(client, initiative, department, due_date="2026-07-01", allow_outside_initiative_dates="on")
    response = client.post(TASK_ADD, data)
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.due_date == dt.date(2026, 7, 1) and task.status_changed_at is not None  # set by task_create


@pytest.mark.parametrize("percent", ["-1", "101"])
def test_percent_outside_0_to_100_is_an_error_on_percent_complete(client, cco_staff, initiative, department, percent):
    client.force_login(cco_staff)
    response = client.post(TASK_ADD, new_task_data(client, initiative, department, percent_complete=percent))
    assert response.status_code == 200
    assert "percent_complete" in response.context["adminform"].form.errors
    assert not Task.objects.exists()


def test_a_dependency_cycle_is_an_error_on_depends_on_and_the_task_is_unchanged(
    client, cco_staff, initiative, department
):
    fields = {"initiative": initiative, "department": department, "due_date": dt.date(2026, 3, 1)}
    a = task_create(title="A", **fields)
    b = task_create(title="B", depends_on=[a], **fields)
    c = task_create(title="C", depends_on=[b], **fields)
    client.force_login(cco_staff)
    data = form_data(client.get(task_change(a)), title="A renamed", depends_on=[str(c.pk)])
    response = client.post(task_change(a), data)
    assert response.status_code == 200
    assert "cycle" in response.context["adminform"].form.errors["depends_on"][0]
    a.refresh_from_db()
    assert a.title == "A" and list(a.depends_on.all()) == [] and a.version == 1


def test_a_head_cannot_put_a_task_in_another_department(client, head, initiative, other_department):
    client.force_login(head)
    response = client.post(TASK_ADD, new_task_data(client, initiative, other_department))
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert not Task.objects.exists()


def test_a_head_cannot_move_their_task_to_another_department(client, head, initiative, department, other_department):
    task = factories.TaskFactory(initiative=initiative, department=department)
    client.force_login(head)
    response = client.post(task_change(task), form_data(client.get(task_change(task)), department=other_department.pk))
    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    task.refresh_from_db()
    assert task.department == department


def test_a_head_changes_their_task_through_the_service(client, head, initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 3, 1))
    client.force_login(head)
    response = client.post(task_change(task), form_data(client.get(task_change(task)), status="in_progress"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress" and task.version == 2


def test_an_owner_marking_their_task_done_gets_a_completion_time(client, owner, initiative, department):
    task = factories.TaskFactory(
        initiative=initiative, department=department, owner=owner, due_date=dt.date(2026, 3, 1)
    )
    client.force_login(owner)
    page = client.get(task_change(task))
    assert "department" not in page.context["adminform"].form.fields  # an owner does not move tasks
    response = client.post(task_change(task), form_data(page, status="done"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.completed_at is not None and task.percent_complete == 100


def test_an_owner_adds_a_check_in_on_the_task_page_and_the_task_follows_it(client, owner, initiative, department):
    task = factories.TaskFactory(
        initiative=initiative, department=department, owner=owner, due_date=dt.date(2026, 3, 1)
    )
    client.force_login(owner)
    data = form_data(client.get(task_change(task)))
    data.update({"check_ins-0-percent_complete": "40", "check_ins-0-note": "Half the calls made"})
    response = client.post(task_change(task), data)
    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    assert check_in.author == owner and check_in.percent_complete == 40
    task.refresh_from_db()
    assert task.percent_complete == 40


def test_a_check_in_percent_outside_0_to_100_is_an_error_and_nothing_is_saved(client, owner, initiative, department):
    task = factories.TaskFactory(
        initiative=initiative, department=department, owner=owner, due_date=dt.date(2026, 3, 1)
    )
    client.force_login(owner)
    add = reverse("admin:roadmap_checkin_add")
    data = form_data(client.get(add), task=task.pk, percent_complete="120", confidence="amber")
    response = client.post(add, data)
    assert response.status_code == 200
    assert "percent_complete" in response.context["adminform"].form.errors
    assert not CheckIn.objects.exists()


def test_an_owner_cannot_check_in_on_a_colleagues_task(client, owner, initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 3, 1))
    client.force_login(owner)
    add = reverse("admin:roadmap_checkin_add")
    response = client.post(add, form_data(client.get(add), task=task.pk, percent_complete="20"))
    assert response.status_code == 200
    assert "task" in response.context["adminform"].form.errors
    assert not CheckIn.objects.exists()


def test_an_initiative_with_its_budgets_is_created_through_the_admin(client, cco_staff, department):
    roadmap = factories.RoadmapFactory()
    client.force_login(cco_staff)
    add = reverse("admin:roadmap_initiative_add")
    data = form_data(client.get(add), roadmap=roadmap.pk, title="Win back lost customers", outcome="Fewer losses")
    data.update(owner=cco_staff.pk, start_date="2026-01-01", end_date="2026-12-31", status="active", health="amber")
    data.update({"department_links-0-department": department.pk, "department_links-0-budget": "2500.00"})
    response = client.post(add, data)
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert [(link.department, link.budget) for link in initiative.department_links.all()] == [(department, 2500)]


def test_an_initiative_ending_before_it_starts_is_an_error_and_nothing_is_saved(client, cco_staff):
    roadmap = factories.RoadmapFactory()
    client.force_login(cco_staff)
    add = reverse("admin:roadmap_initiative_add")
    data = form_data(client.get(add), roadmap=roadmap.pk, title="Backwards", outcome="None")
    data.update(owner=cco_staff.pk, start_date="2026-06-01", end_date="2026-01-01", status="active", health="red")
    response = client.post(add, data)
    assert response.status_code == 200
    assert "must end on or after its start" in str(response.context["adminform"].form.errors)
    assert not Initiative.objects.exists()


def test_a_task_edited_in_the_initiatives_inline_goes_through_the_service(client, cco_staff, initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 3, 1))
    client.force_login(cco_staff)
    url = reverse("admin:roadmap_initiative_change", args=[initiative.pk])
    response = client.post(url, form_data(client.get(url), **{"tasks-0-status": "blocked"}))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "blocked" and task.version == 2


def test_a_task_in_the_initiatives_inline_due_after_it_ends_is_an_error(client, cco_staff, initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 3, 1))
    client.force_login(cco_staff)
    url = reverse("admin:roadmap_initiative_change", args=[initiative.pk])
    response = client.post(url, form_data(client.get(url), **{"tasks-0-due_date": "2026-09-01"}))
    assert response.status_code == 200
    task_errors = next(
        i.formset.errors for i in response.context["inline_admin_formsets"] if i.formset.prefix == "tasks"
    )
    assert "due_date" in task_errors[0]
    task.refresh_from_db()
    assert task.due_date == dt.date(2026, 3, 1)


def test_the_check_in_task_search_offers_an_owner_only_their_own_tasks(client, owner, initiative, department):
    mine = factories.TaskFactory(initiative=initiative, department=department, owner=owner, title="Mine")
    factories.TaskFactory(initiative=initiative, department=department, title="A colleague's")
    client.force_login(owner)
    params = {"app_label": "roadmap", "model_name": "checkin", "field_name": "task", "term": ""}
    response = client.get(reverse("admin:autocomplete"), params)
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]


def test_a_task_changed_by_someone_else_since_the_form_opened_is_not_overwritten(client, head, initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 3, 1))
    client.force_login(head)
    page = client.get(task_change(task))
    assert 'name="expected_version" value="1"' in page.content.decode()
    opened = form_data(page, status="in_progress", title="The head's title")
    task_update(task=task, title="The owner's title")  # saved while the head's form was open
    response = client.post(task_change(task), opened)
    assert response.status_code == 200
    assert "Someone else saved this task since you opened it" in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.status, task.version) == ("The owner's title", "not_started", 2)
    # Opened again, the form carries the new version and the head's change goes through.
    again = form_data(client.get(task_change(task)), status="in_progress")
    assert client.post(task_change(task), again).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.version) == ("in_progress", 3)


def test_an_initiative_changed_by_someone_else_since_the_form_opened_is_not_overwritten(client, cco_staff, initiative):
    url = reverse("admin:roadmap_initiative_change", args=[initiative.pk])
    client.force_login(cco_staff)
    opened = form_data(client.get(url), title="Mine")
    initiative_update(initiative=initiative, title="Theirs")
    response = client.post(url, opened)
    assert response.status_code == 200
    assert "Someone else saved this initiative since you opened it" in response.content.decode()
    initiative.refresh_from_db()
    assert (initiative.title, initiative.version) == ("Theirs", 2)
