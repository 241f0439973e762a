"""Reading and customer movement changelists run the same number of queries for 10 rows as for 100."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from tests import factories
from tests.admin_world import changelist_query_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(request, cco_staff, head):
    return {"cco": cco_staff, "head": head}[request.param]


@pytest.fixture
def spread(department, head):
    """Rows cycle over metrics, segments, reasons and dates, so every row has its own related objects."""
    metrics = itertools.cycle([factories.MetricFactory() for _ in range(3)])
    segments = itertools.cycle([factories.CustomerSegmentFactory() for _ in range(3)])
    reasons = itertools.cycle([factories.LossReasonFactory() for _ in range(3)])
    dates = itertools.cycle([dt.date(2025, 1, 3) + dt.timedelta(days=23 * i) for i in range(30)])
    return metrics, segments, reasons, dates


@pytest.mark.parametrize("viewer", ["cco", "head"], indirect=True)
def test_the_reading_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, viewer, department, spread):
    metrics, segments, _, dates = spread

    def add(n):
        for _ in range(n):
            factories.ReadingFactory(
                metric=next(metrics), department=department, segment=next(segments), date=next(dates)
            )

    client.force_login(viewer)
    url = reverse("admin:customers_reading_changelist")
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(client, url, add_rows=add)
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10


@pytest.mark.parametrize("viewer", ["cco", "head"], indirect=True)
def test_the_movement_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, viewer, department, spread):
    _, segments, reasons, dates = spread
    kinds = itertools.cycle(["gained", "lost"])

    def add(n):
        for _ in range(n):
            kind = next(kinds)
            factories.CustomerMovementFactory(
                kind=kind,
                segment=next(segments),
                department=department,
                date=next(dates),
                loss_reason=next(reasons) if kind == "lost" else None,
            )

    client.force_login(viewer)
    url = reverse("admin:customers_customermovement_changelist")
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(client, url, add_rows=add)
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10
