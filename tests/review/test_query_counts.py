"""The dashboard, drill-down, grid and timeline run the same number of queries at any data size."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Scorecard
from review.selectors import dashboard as dashboard_selectors
from review.selectors import roadmap as grid_selectors
from roadmap.models import Roadmap, Task
from tests import factories

pytestmark = pytest.mark.django_db
QUARTERS = [
    dt.date(2024, 7, 1),
    dt.date(2024, 10, 1),
    dt.date(2025, 1, 1),
    dt.date(2025, 4, 1),
    dt.date(2025, 7, 1),
    dt.date(2025, 10, 1),
    dt.date(2026, 1, 1),
    dt.date(2026, 4, 1),
]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


class Data:
    """Grows a data set: each `grow(n)` adds n departments and n initiatives with tasks in every cell."""

    def __init__(self):
        self.roadmap = factories.RoadmapFactory(status=Roadmap.Status.ACTIVE)
        self.departments, self.initiatives = [], []
        self.owner = factories.TaskOwnerFactory()
        self.giver = factories.CCOStaffFactory()
        for start in QUARTERS:
            factories.ScorecardFactory(
                scope=Scorecard.Scope.COMPANY, department=None, period_start=start, overall_score=Decimal(60)
            )

    def grow(self, n: int) -> None:
        new_departments = [factories.DepartmentFactory() for _ in range(n)]
        new_initiatives = [
            factories.InitiativeFactory(roadmap=self.roadmap, health="red", status="active") for _ in range(n)
        ]
        self.departments += new_departments
        self.initiatives += new_initiatives
        for initiative in new_initiatives:
            previous = None
            for department in self.departments:
                task = factories.TaskFactory(
                    initiative=initiative, department=department, owner=self.owner, due_date=dt.date(2026, 5, 1)
                )
                factories.TaskFactory(
                    initiative=initiative, department=department, owner=self.owner, status=Task.Status.BLOCKED
                )
                if previous is not None:
                    task.depends_on.add(previous)  # a hand-off, late: the task waited on is overdue
                previous = task
                factories.RecognitionFactory(task=task, giver=self.giver, recipient=self.owner)
        for start in QUARTERS:
            for department in new_departments:
                factories.ScorecardFactory(department=department, period_start=start, overall_score=Decimal(50))
        for card in Scorecard.objects.filter(scope="department"):
            factories.ScorecardLineFactory.create_batch(n, scorecard=card)
        first = self.departments[0]
        for _ in range(n):
            factories.CustomerMovementFactory(kind="lost", date=dt.date(2026, 4, 2), department=first)
            factories.ReadingFactory(metric=factories.MetricFactory(), department=first, date=dt.date(2026, 4, 3))
        factories.TargetFactory(metric=factories.MetricFactory(), department=first, period_start=dt.date(2026, 4, 1))


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


URLS = {
    "dashboard": lambda data: reverse("admin:review_dashboard"),
    "department": lambda data: reverse("admin:review_department", args=[data.departments[0].slug]),
    "compare": lambda data: reverse("admin:review_compare") + "?a=2026-Q1&b=2026-Q2",
    "roadmap grid": lambda data: reverse("admin:review_roadmap"),
    "timeline": lambda data: reverse("admin:review_timeline", args=[data.initiatives[0].pk]),
    "scorecard pdf": lambda data: reverse("admin:review_scorecard_export", args=["pdf"]),
    "department pdf": lambda data: (
        reverse("admin:review_scorecard_export", args=["pdf"]) + f"?department={data.departments[0].slug}"
    ),
    "tasks xlsx": lambda data: reverse("admin:review_tasks_export", args=["xlsx"]),
}


@pytest.mark.parametrize("page", URLS)
def test_query_count_does_not_grow_with_departments_initiatives_or_tasks(client, executive, page):
    client.force_login(executive)
    data = Data()
    data.grow(1)
    small = _count(client, URLS[page](data))
    data.grow(3)
    assert Task.objects.count() == 2 * (1 * 1 + 3 * 4)  # the data really grew  # the data really grew
    large = _count(client, URLS[page](data))
    assert small == large


@pytest.mark.parametrize(("page", "query"), [("dashboard", ""), ("roadmap grid", "?page=2&departments=2&q=Initiative")])
def test_query_count_is_the_same_when_a_list_runs_over_its_page(client, executive, page, query, monkeypatch):
    """Pages of 2 initiatives, 2 departments and 2 initiatives in trouble: the larger data needs several."""
    monkeypatch.setattr(grid_selectors, "INITIATIVES_PER_PAGE", 2)
    monkeypatch.setattr(grid_selectors, "DEPARTMENTS_PER_PAGE", 2)
    monkeypatch.setattr(dashboard_selectors, "TROUBLE_SHOWN", 2)
    client.force_login(executive)
    data = Data()
    data.grow(1)
    small = _count(client, URLS[page](data) + query)
    data.grow(3)
    response = client.get(URLS[page](data) + query)
    if page == "dashboard":
        assert response.context["data"].trouble_count == 4 and 'id="trouble-more"' in response.content.decode()
    else:
        assert response.context["grid"].page.paginator.num_pages == 2 and response.context["grid"].other_departments
    assert _count(client, URLS[page](data) + query) == small
