"""The task list's search-box filters work in a real browser, and the roadmap grid pages, on a desktop and a phone."""

import pytest

from roadmap.models import Roadmap
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_head_finds_an_initiative_in_the_task_lists_search_box(page, login, live_server, shoot, head, department):
    wanted = factories.InitiativeFactory(title="Win back lost customers")
    factories.TaskFactory(initiative=wanted, department=department, title="Call the ten biggest")
    for n in range(30):
        factories.TaskFactory(
            initiative=factories.InitiativeFactory(title=f"Priority {n}"), department=department, title=f"Other {n}"
        )
    login(head)
    page.goto(f"{live_server.url}/admin/roadmap/task/")
    box = page.locator("#autocomplete-filter-initiative + .select2-container")
    box.click()
    page.keyboard.type("win back", delay=50)
    page.locator(".select2-results__option", has_text="Win back lost customers").click()
    page.wait_for_url(f"**initiative__id__exact={wanted.pk}**")
    assert page.locator("#result_list tbody tr").count() == 1
    assert "Call the ten biggest" in page.locator("#result_list").inner_text()
    shoot("task-list-initiative-search")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shoot("task-list-initiative-search-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling of the page


def test_an_executive_pages_through_a_large_roadmap_grid(page, login, live_server, shoot, executive):
    roadmap = factories.RoadmapFactory(name="FY2026", status=Roadmap.Status.ACTIVE)
    departments = [factories.DepartmentFactory(name=f"Department {n:02}") for n in range(14)]
    for n in range(27):
        initiative = factories.InitiativeFactory(roadmap=roadmap, title=f"Initiative {n:02}")
        factories.TaskFactory(initiative=initiative, department=departments[n % 14])
    login(executive)
    page.goto(f"{live_server.url}/admin/review/roadmap/")
    assert "Initiatives 1 to 25 of 27" in page.locator("#grid-pager").inner_text()
    assert page.locator("#grid tbody tr").count() == 25
    headers = page.locator("#grid thead th").all_text_contents()
    assert headers[2:] == [f"Department {n:02}" for n in range(12)] + ["2 other departments"]
    shoot("roadmap-grid-paged")
    page.click("#next-departments")
    headers = page.locator("#grid thead th").all_text_contents()
    assert headers[2:] == ["Department 12", "Department 13", "12 other departments"]
    page.click("#next-initiatives")
    assert page.locator("#grid tbody tr").all_inner_texts()[0].startswith("Initiative 25")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/review/roadmap/")
    shoot("roadmap-grid-paged-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the grid scrolls in its own box
