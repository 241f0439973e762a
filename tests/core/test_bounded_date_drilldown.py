"""Every changelist's date drill-down is bounded by the first and last dates: no scan of every row.

Readings on 3 March and 28 May 2025 and 2 November 2027: the years 2025 to 2027 are offered, then
March to May of 2025 (April has none and is offered all the same), then the 3rd to the 31st of
March; a day is shown as Django shows it. No level reads the distinct dates of the rows.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("admin:customers_reading_changelist")


def _toplinks(page: str) -> str:
    nav = page[page.index('<nav class="toplinks">') :]
    return nav[: nav.index("</nav>")]


@pytest.mark.parametrize(
    ("query", "offered", "not_offered"),
    [
        ("", ["2025", "2026", "2027"], ["2024", "2028"]),
        ("?date__year=2025", ["March 2025", "April 2025", "May 2025", "All dates"], ["February 2025", "June 2025"]),
        ("?date__year=2025&date__month=3", ["3 March", "17 March", "31 March"], ["2 March"]),
        ("?date__year=2025&date__month=3&date__day=3", ["3 March", "March 2025"], ["4 March"]),
    ],
)
def test_each_level_offers_what_lies_between_the_first_and_last_dates(client, cco_staff, query, offered, not_offered):
    metric = factories.MetricFactory()
    for day in (dt.date(2025, 3, 3), dt.date(2025, 5, 28), dt.date(2027, 11, 2), dt.date(2025, 3, 31)):
        factories.ReadingFactory(metric=metric, date=day)
    client.force_login(cco_staff)
    with CaptureQueriesContext(connection) as queries:
        nav = _toplinks(client.get(URL + query).content.decode())
    assert all(label in nav for label in offered), nav
    assert not any(f">{label}<" in nav for label in not_offered), nav
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"] and "customers_reading" in q["sql"]]
