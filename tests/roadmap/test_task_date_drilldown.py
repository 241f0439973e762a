"""The task changelist's date drill-down: years from the first and last due dates, no scan of every task.

Tasks due in 2025 and 2027 (none in 2026): the drill-down offers 2025, 2026 and 2027, from
one MIN/MAX query and without Django's `SELECT DISTINCT` of every task's year; a year, a
month and a day below it drill down as Django's does. One year only starts at its months.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("admin:roadmap_task_changelist")


def _toplinks(page: str) -> str:
    nav = page[page.index('<nav class="toplinks">') :]
    return nav[: nav.index("</nav>")]


def _add(department, *days):
    for day in days:
        factories.TaskFactory(department=department, due_date=day)


def test_the_years_between_the_first_and_last_due_dates_without_a_distinct_query(client, cco_staff, department):
    _add(department, dt.date(2025, 3, 4), dt.date(2027, 11, 2))
    client.force_login(cco_staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL).content.decode()
    nav = _toplinks(page)
    for year in ("2025", "2026", "2027"):
        assert f"?due_date__year={year}" in nav and f">{year}</a>" in nav
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"] and "roadmap_task" in q["sql"]]


@pytest.mark.parametrize(
    ("query", "shown", "back"),
    [
        ("?due_date__year=2025", "March 2025", "All dates"),
        ("?due_date__year=2025&due_date__month=3", "4 March", "2025"),
        ("?due_date__year=2025&due_date__month=3&due_date__day=4", "4 March", "March 2025"),
    ],
)
def test_below_the_years_it_drills_down_as_django_does(client, cco_staff, department, query, shown, back):
    _add(department, dt.date(2025, 3, 4), dt.date(2027, 11, 2))
    client.force_login(cco_staff)
    nav = _toplinks(client.get(URL + query).content.decode())
    assert shown in nav and back in nav


def test_one_year_starts_at_its_months(client, cco_staff, department):
    _add(department, dt.date(2025, 3, 4), dt.date(2025, 5, 6))
    client.force_login(cco_staff)
    nav = _toplinks(client.get(URL).content.decode())
    assert "March 2025" in nav and "May 2025" in nav and ">2025</a>" not in nav
