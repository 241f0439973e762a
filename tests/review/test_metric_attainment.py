"""A department's metrics against targets, hand-computed: the sum, the mean or the latest reading.

The readings are added up and counted in the query; only the metrics that take their latest
reading read it (the latest date, then the last entered). Readings of another department, or
outside the period, do not count; a target without readings has no value.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.periods import Period
from customers.models import Metric
from review.selectors.dashboard import metric_attainment
from tests import factories

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")


def _metric(name: str, aggregation: str, department, readings: list[tuple[int, str]]):
    metric = factories.MetricFactory(name=name, aggregation=aggregation)
    factories.TargetFactory(metric=metric, department=department, period_start=Q1.start)
    for day, value in readings:
        factories.ReadingFactory(
            metric=metric, department=department, date=Q1.start + dt.timedelta(days=day), value=Decimal(value)
        )
    return metric


def test_the_sum_the_mean_and_the_latest(department, other_department):
    added = _metric("A added", Metric.Aggregation.SUM, department, [(1, "1.1"), (2, "2.2"), (40, "3.3")])
    _metric("B averaged", Metric.Aggregation.AVERAGE, department, [(1, "10"), (5, "20"), (5, "25")])
    # The latest date holds two readings: the one entered last counts, not the larger.
    _metric("C latest", Metric.Aggregation.LAST, department, [(80, "70"), (80, "60"), (3, "90")])
    _metric("D without readings", Metric.Aggregation.SUM, department, [])
    factories.ReadingFactory(metric=added, department=other_department, date=dt.date(2026, 2, 1), value=100)
    factories.ReadingFactory(metric=added, department=department, date=dt.date(2026, 4, 1), value=100)
    with CaptureQueriesContext(connection) as queries:
        shown = metric_attainment(department=department, period=Q1)
    assert [(m.metric.name, m.value) for m in shown] == [
        ("A added", Decimal("6.6")),
        ("B averaged", Decimal(55) / 3),
        ("C latest", Decimal(60)),
        ("D without readings", None),
    ]
    assert len(queries) == 3  # the targets, the sums and counts, the latest readings


def test_without_a_latest_value_metric_no_latest_reading_is_read(department):
    _metric("A added", Metric.Aggregation.SUM, department, [(1, "1")])
    with CaptureQueriesContext(connection) as queries:
        (shown,) = metric_attainment(department=department, period=Q1)
    assert shown.value == 1 and len(queries) == 2
