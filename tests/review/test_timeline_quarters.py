"""The timeline's follow-through reads every quarter at once: the same queries over 2 quarters as over 8.

An initiative expects a reading metric and customers gained (from the ledger) to move, with
readings and movements in every quarter; it runs over 2 quarters, then over 8 (its trend),
with 10 then 40 more initiatives on the roadmap: the page runs the same number of queries, and
its values are the ones the quarter-by-quarter reading gives.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.scorecards import follow_through
from customers.models import CustomerMovement, Metric
from roadmap.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _initiative(department, start: dt.date, others: int) -> Initiative:
    nps = factories.MetricFactory(code=f"nps-{start.isoformat()}", aggregation=Metric.Aggregation.AVERAGE)
    gained = factories.MetricFactory(code=f"gained-{start.isoformat()}", source=Metric.Source.LEDGER_GAINED)
    day = dt.date(2024, 1, 5)
    while day < dt.date(2026, 10, 1):
        factories.ReadingFactory(metric=nps, department=department, date=day, value=day.month)
        factories.CustomerMovementFactory(kind=CustomerMovement.Kind.GAINED, count=day.month, date=day)
        day = (day + dt.timedelta(days=31)).replace(day=5)
    initiative = factories.InitiativeFactory(start_date=start, end_date=dt.date(2026, 12, 31))
    for metric in (nps, gained):
        factories.InitiativeExpectationFactory(initiative=initiative, metric=metric, expected_value=8, by_date=start)
    factories.TaskFactory(initiative=initiative, department=department)
    factories.InitiativeFactory.create_batch(others)
    return initiative


def _queries(client, initiative) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:review_timeline", args=[initiative.pk])).status_code == 200
    return len(queries)


def test_the_timeline_runs_the_same_queries_over_2_quarters_as_over_8(client, executive, department):
    client.force_login(executive)
    short = _initiative(department, dt.date(2026, 7, 1), 10)  # 2026-Q3 and Q4: a trend of one quarter so far
    long = _initiative(department, dt.date(2024, 7, 1), 40)  # 2024-Q3 on: a trend of 8 quarters
    assert len(follow_through.follow_through_get(initiative=long).metrics[0].trend) == 8
    assert _queries(client, short) == _queries(client, long)


def test_reading_every_quarter_at_once_gives_the_values_of_one_quarter_at_a_time(department):
    initiative = _initiative(department, dt.date(2024, 7, 1), 0)
    at_once = follow_through.follow_through_get(initiative=initiative)
    one_at_a_time = follow_through._Values.preload
    try:
        follow_through._Values.preload = lambda self: None  # each quarter read when asked
        separately = follow_through.follow_through_get(initiative=initiative)
    finally:
        follow_through._Values.preload = one_at_a_time
    for a, b in zip(at_once.metrics, separately.metrics, strict=True):
        assert (a.before, a.now, a.trend) == (b.before, b.now, b.trend)
        assert a.before is not None and sum(value is not None for _, value in a.trend) == 7  # none yet in 2026-Q4
