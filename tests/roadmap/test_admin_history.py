"""A task changed in the admin shows who changed it and when on its history page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats

from tests import factories
from tests.admin_world import form_data

pytestmark = pytest.mark.django_db

CHANGED_AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def test_the_history_page_shows_who_changed_a_task_in_the_admin_and_when(client, head, department):
    with time_machine.travel(CHANGED_AT - dt.timedelta(days=30), tick=False):
        task = factories.TaskFactory(department=department, title="Call lost customers", due_date=dt.date(2026, 6, 1))
    client.force_login(head)
    change = reverse("admin:roadmap_task_change", args=[task.pk])
    with time_machine.travel(CHANGED_AT, tick=False):
        response = client.post(change, form_data(client.get(change), title="Call every lost customer"))
    assert response.status_code == 302

    page = client.get(reverse("admin:roadmap_task_history", args=[task.pk]))

    assert page.status_code == 200
    latest = task.history.latest()
    assert latest.history_user == head and latest.title == "Call every lost customer"
    html = page.content.decode()
    assert head.username in html
    assert formats.date_format(CHANGED_AT.date(), "DATE_FORMAT") in html


def test_a_task_history_is_hidden_from_the_head_of_another_department(client, other_head, department):
    task = factories.TaskFactory(department=department)
    client.force_login(other_head)
    page = client.get(reverse("admin:roadmap_task_history", args=[task.pk]))
    assert page.status_code == 403


def test_an_executive_cannot_revert_a_task_from_its_history(client, executive, department):
    task = factories.TaskFactory(department=department, title="Original")
    record = task.history.latest()
    task.title = "Changed"
    task.save()
    client.force_login(executive)
    url = reverse("admin:roadmap_task_simple_history", args=[task.pk, record.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Original"}).status_code == 403
    task.refresh_from_db()
    assert task.title == "Changed"
