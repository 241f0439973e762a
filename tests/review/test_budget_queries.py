"""The budget page and its CSV run a fixed number of queries, however many lines and purposes."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
# Both: session, user, roles (3), then the departments' totals, those departments, and the lines aimed at a
# metric, a loss reason or a segment (5).
# The page adds the admin's sidebar: the user's permissions (2) and which settings rows exist (2).
CSV_QUERIES = 8
PAGE_QUERIES = CSV_QUERIES + 4


def _grow(roadmap, departments, n: int) -> None:
    """n more departments, each funding n initiatives aimed at shared metrics, reasons and segments."""
    metric, reason = factories.MetricFactory(), factories.LossReasonFactory()
    segment = factories.CustomerSegmentFactory()
    departments += [factories.DepartmentFactory() for _ in range(n)]
    for department in departments[-n:]:
        for _ in range(n):
            initiative = factories.InitiativeFactory(
                roadmap=roadmap, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 8, 31)
            )
            factories.InitiativeDepartmentFactory(
                initiative=initiative,
                department=department,
                metrics=[metric],
                loss_reasons=[reason],
                segments=[segment],
            )


@pytest.mark.parametrize(
    ("url", "queries"), [("admin:review_budget", PAGE_QUERIES), ("admin:review_budget_export", CSV_QUERIES)]
)
def test_the_budget_page_and_csv_run_the_same_queries_at_any_size(
    client, cco_staff, django_assert_num_queries, url, queries
):
    roadmap, departments = factories.RoadmapFactory(), []
    client.force_login(cco_staff)
    _grow(roadmap, departments, 1)
    with django_assert_num_queries(queries):
        small = client.get(reverse(url), {"period": "2026-Q2"})
    _grow(roadmap, departments, 4)
    with django_assert_num_queries(queries):
        large = client.get(reverse(url), {"period": "2026-Q2"})
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)  # the data really grew: duplicates and cells appeared
