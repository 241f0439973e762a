"""Review pages stay small at any size: the grid pages initiatives and departments, the dashboard
shows the worst initiatives in trouble and links to all of them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from review.selectors import roadmap as grid_selectors
from roadmap.models import Health, Initiative, Roadmap
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3 initiatives and 2 departments, so a few objects make several pages."""
    monkeypatch.setattr(grid_selectors, "INITIATIVES_PER_PAGE", 3)
    monkeypatch.setattr(grid_selectors, "DEPARTMENTS_PER_PAGE", 2)


@pytest.fixture
def grid_data(db):
    roadmap = factories.RoadmapFactory(status=Roadmap.Status.ACTIVE)
    departments = [factories.DepartmentFactory(name=name) for name in ("Billing", "Marketing", "Sales", "Service")]
    initiatives = []
    for n in range(7):
        initiative = factories.InitiativeFactory(
            roadmap=roadmap, title=f"{'Loyalty' if n % 2 else 'Onboarding'} {n}", start_date=dt.date(2026, 1, 1 + n)
        )
        initiatives.append(initiative)
        for department in departments:
            factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 5, 1))
    return roadmap, departments, initiatives


def _grid(client, **query):
    response = client.get(reverse("admin:review_roadmap"), query)
    assert response.status_code == 200
    return response.context["grid"], response.content.decode()


def test_the_grid_shows_one_page_of_initiatives_with_a_pager(client, executive, small_pages, grid_data):
    client.force_login(executive)
    grid, page = _grid(client)
    assert [i.title for i, _ in grid.rows] == ["Onboarding 0", "Loyalty 1", "Onboarding 2"]
    assert "Initiatives 1 to 3 of 7" in page and 'id="next-initiatives"' in page
    assert 'id="previous-initiatives"' not in page
    grid, page = _grid(client, page=3)
    assert [i.title for i, _ in grid.rows] == ["Onboarding 6"]
    assert 'href="?page=2" id="previous-initiatives"' in page and 'id="next-initiatives"' not in page
    grid, _ = _grid(client, page="999999999999")  # out of range or malformed: the first page
    assert grid.rows[0][0].title == "Onboarding 0"


def test_a_search_narrows_the_grid_to_initiatives_whose_title_matches(client, executive, small_pages, grid_data):
    client.force_login(executive)
    grid, page = _grid(client, q="loyal")
    assert [i.title for i, _ in grid.rows] == ["Loyalty 1", "Loyalty 3", "Loyalty 5"]
    assert "Initiatives 1 to 3 of 3 matching “loyal”" in page and 'id="next-initiatives"' not in page
    grid, page = _grid(client, q="<nothing>")
    assert grid.rows == [] and "No initiative on this roadmap matches “&lt;nothing&gt;”" in page


def test_departments_beyond_a_page_are_summed_in_an_other_column(client, executive, small_pages, grid_data):
    client.force_login(executive)
    grid, page = _grid(client)
    assert [d.name for d in grid.departments] == ["Billing", "Marketing"]
    assert grid.other_departments == 2 and "2 other departments" in page
    assert [cell.total for cell in grid.others] == [2, 2, 2]  # Sales and Service, one task each
    assert [cell.overdue for cell in grid.others] == [2, 2, 2]
    grid, page = _grid(client, departments=2, page=2)
    assert [d.name for d in grid.departments] == ["Sales", "Service"]
    assert [i.title for i, _ in grid.rows] == ["Loyalty 3", "Onboarding 4", "Loyalty 5"]  # the page is kept
    assert 'href="?departments=1&amp;page=2" id="previous-departments"' in page


def test_a_grid_of_one_page_has_no_pager_and_no_other_column(client, executive, grid_data):
    client.force_login(executive)
    grid, page = _grid(client)
    assert len(grid.rows) == 7 and len(grid.departments) == 4 and grid.other_departments == 0
    assert "other department" not in page and 'id="next-initiatives"' not in page


def test_the_dashboard_shows_the_worst_ten_initiatives_in_trouble_and_links_to_all(client, executive):
    for n in range(8):
        factories.InitiativeFactory(title=f"Amber {n}", health=Health.AMBER, end_date=dt.date(2026, 6, 1 + n))
    for n in range(4):
        factories.InitiativeFactory(title=f"Red {n}", health=Health.RED, end_date=dt.date(2026, 12, 1 + n))
    factories.InitiativeFactory(title="Red but done", health=Health.RED, status=Initiative.Status.DONE)
    factories.InitiativeFactory(title="Green", health=Health.GREEN)
    client.force_login(executive)
    response = client.get(reverse("admin:review_dashboard"))
    data = response.context["data"]
    expected = [f"Red {n}" for n in range(4)] + [f"Amber {n}" for n in range(6)]  # red first, then ending soonest
    assert [i.title for i in data.initiatives_in_trouble] == expected
    assert data.trouble_count == 12
    page = response.content.decode()
    link = reverse("admin:roadmap_initiative_changelist") + "?trouble=yes"
    assert f'<a href="{link}">All 12 initiatives in trouble</a>' in page
    listed = client.get(link).context["cl"].result_list
    assert sorted(i.title for i in listed) == sorted([f"Red {n}" for n in range(4)] + [f"Amber {n}" for n in range(8)])


def test_the_dashboard_has_no_link_when_every_initiative_in_trouble_is_shown(client, executive):
    factories.InitiativeFactory(title="Fix onboarding", health=Health.RED)
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard")).content.decode()
    assert "Fix onboarding" in page and 'id="trouble-more"' not in page


def test_a_departments_page_shows_the_most_overdue_and_counts_them_all(client, executive, department, monkeypatch):
    from review.selectors import dashboard as dashboard_selectors

    monkeypatch.setattr(dashboard_selectors, "PROBLEMS_SHOWN", 2)
    for day in (3, 1, 2):
        factories.TaskFactory(department=department, title=f"Late {day}", due_date=dt.date(2026, 5, day))
    for day in (10, 11, 12):
        factories.TaskFactory(
            department=department, title=f"Stuck {day}", status="blocked", due_date=dt.date(2026, 6, day)
        )
    client.force_login(executive)
    response = client.get(reverse("admin:review_department", args=[department.slug]))
    data = response.context["data"]
    assert [t.title for t in data.overdue] == ["Late 1", "Late 2"] and data.overdue_count == 3
    assert [t.title for t in data.blocked] == ["Stuck 10", "Stuck 11"] and data.blocked_count == 3
    page = response.content.decode()
    assert "3 open tasks of Service past their due date today, whatever the period: the 2 most overdue below." in page
    assert "Late 3" not in page and 'id="blocked-more"' in page and "show=blocked" in page
