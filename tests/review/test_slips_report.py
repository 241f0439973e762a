"""The slips report lists each department's slips of a period, to those who may see the tasks, in fixed queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("admin:review_slips")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def slip(department, *, moved: dt.date, reason: str = "Vendor late.", **fields):
    task = factories.TaskFactory(department=department, status="in_progress", due_date=dt.date(2026, 6, 30))
    at = dt.datetime.combine(moved, dt.time(12), tzinfo=dt.UTC)
    return factories.SlipFactory(task=task, moved_at=at, reason=reason, **fields)


def test_the_report_groups_the_periods_slips_by_department(client, executive, department, other_department):
    slip(department, moved=dt.date(2026, 4, 2), reason="Billing migration.", status="approved")
    slip(department, moved=dt.date(2026, 5, 2), reason="Waiting on legal.")
    slip(other_department, moved=dt.date(2026, 6, 29), reason="Holiday cover.", status="rejected")
    slip(department, moved=dt.date(2026, 3, 31), reason="Last quarter.")
    client.force_login(executive)

    page = client.get(URL, {"period": "2026-Q2"}).content.decode()

    assert f"{department.name}</a>: 2 slips" in page and f"{other_department.name}</a>: 1 slip" in page
    assert "Approved 1 (30 days in all), waiting 1, refused 0." in page
    assert "Billing migration." in page and "Holiday cover." in page and "Last quarter." not in page
    only = client.get(URL, {"period": "2026-Q2", "department": other_department.slug}).content.decode()
    assert "Holiday cover." in only and "Billing migration." not in only


def test_an_owner_sees_only_the_slips_of_tasks_they_may_see(client, owner, department, other_department):
    slip(department, moved=dt.date(2026, 4, 2), reason="Ours.")
    slip(other_department, moved=dt.date(2026, 4, 2), reason="Theirs.")
    client.force_login(owner)
    page = client.get(URL).content.decode()
    assert "Ours." in page and "Theirs." not in page


def test_a_bad_period_is_said_and_an_unknown_department_is_404(client, executive):
    client.force_login(executive)
    assert "2026-Q9" in client.get(URL, {"period": "2026-Q9"}).content.decode()
    assert client.get(URL, {"department": "nope"}).status_code == 404


def test_the_report_takes_the_same_queries_with_2_or_20_slips(client, executive, department, other_department):
    client.force_login(executive)
    counts = []
    for n in (2, 20):
        for i in range(n - len(counts) * 2):
            slip((department, other_department)[i % 2], moved=dt.date(2026, 4, 1 + i % 28))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"period": "2026-Q2"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_each_department_lists_its_latest_slips_and_counts_them_all(client, executive, department, monkeypatch):
    from review.selectors import slips as selectors

    monkeypatch.setattr(selectors, "SHOWN_PER_DEPARTMENT", 2)
    monkeypatch.setattr(selectors, "SHOWN", 3)
    for day in (1, 2, 3, 4):
        slip(department, moved=dt.date(2026, 4, day), reason=f"Reason {day}.", status="approved")
    client.force_login(executive)
    page = client.get(URL, {"period": "2026-Q2"}).content.decode()
    assert f"{department.name}</a>: 4 slips" in page and "Approved 4 (120 days in all)" in page
    assert "Reason 4." in page and "Reason 3." in page and "Reason 2." not in page
    assert "The latest 2 of 4" in page and f"department={department.slug}" in page
    own = client.get(URL, {"period": "2026-Q2", "department": department.slug}).content.decode()
    assert "Reason 2." in own and "Reason 1." not in own and "all 4 in the list of slips" in own


def test_each_department_shows_its_own_latest_slips_ties_broken_by_the_latest_id(
    client, executive, department, other_department, monkeypatch
):
    from review.selectors import slips as selectors

    monkeypatch.setattr(selectors, "SHOWN_PER_DEPARTMENT", 3)
    made = {department.pk: [], other_department.pk: []}
    for i, day in enumerate((3, 9, 9, 9, 1, 12, 12, 2)):
        where = (department, other_department)[i % 3 == 2]  # Billing gets few, so its older ones show too
        made[where.pk].append(slip(where, moved=dt.date(2026, 4, day)))
    slip(department, moved=dt.date(2026, 3, 31))  # the quarter before: neither shown nor counted
    client.force_login(executive)
    groups = client.get(URL, {"period": "2026-Q2"}).context["groups"]
    latest = {
        pk: [s.pk for s in sorted(slips, key=lambda s: (s.moved_at, s.pk), reverse=True)[:3]]
        for pk, slips in made.items()
    }
    assert [(g.department.name, [s.pk for s in g.slips], g.total) for g in groups] == [
        (other_department.name, latest[other_department.pk], len(made[other_department.pk])),
        (department.name, latest[department.pk], len(made[department.pk])),
    ]


def test_each_slip_links_to_its_tasks_page(client, executive, department):
    moved = slip(department, moved=dt.date(2026, 4, 2))
    client.force_login(executive)
    page = client.get(URL, {"period": "2026-Q2"}).content.decode()
    link = reverse("admin:roadmap_task_change", args=[moved.task_id])
    assert f'<a href="{link}">{moved.task.title}</a>' in page
