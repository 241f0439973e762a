"""`reading_totals_by_period`, the lean read behind follow-through, gives `reading_figures`' totals exactly.

Awkward readings in one quarter: sums, means and last values; company- and department-level
metrics; several readings of one date, segments alone on one date and beside an unsegmented
reading on another; readings outside a metric's range (kept from before it had one), readings of
an inactive metric and of a ledger metric, and readings outside the quarter. The lean read
applies the metrics' settings from the objects instead of joining them, and reads the readings
table alone.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.scorecards.context import Context
from accountability.scorecards.readings import reading_figures, reading_totals_by_period
from accountability.scorecards.services import scorecard_settings_get
from core.periods import Period
from customers.models import Metric
from tests import factories

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")
SUM, AVERAGE, LAST = Metric.Aggregation.SUM, Metric.Aggregation.AVERAGE, Metric.Aggregation.LAST


def reading_totals(*, ctx: Context, metrics: list) -> dict:
    """The lean totals of one period."""
    return reading_totals_by_period(metrics={m.pk: m for m in metrics}, wanted={ctx.period: None})[ctx.period]


def _reading(metric, department, day: int, value: str, segment=None, month: int = 2):
    return factories.ReadingFactory(
        metric=metric, department=department, segment=segment, date=dt.date(2026, month, day), value=Decimal(value)
    )


@pytest.fixture
def metrics():
    north, south = factories.DepartmentFactory(), factories.DepartmentFactory()
    small, large = factories.CustomerSegmentFactory(), factories.CustomerSegmentFactory()
    made = {}
    for aggregation in (SUM, AVERAGE, LAST):
        metric = made[aggregation] = factories.MetricFactory(aggregation=aggregation, min_value=0, max_value=100)
        for department in (north, south):
            _reading(metric, department, 1, "10")
            _reading(metric, department, 1, "20.5")  # two readings of one date
            _reading(metric, department, 2, "7", small)  # segments alone: the date's total is their sum
            _reading(metric, department, 2, "8", large)
            _reading(metric, department, 2, "9", large)
            _reading(metric, department, 3, "30")  # an unsegmented reading beside segments: it is the total
            _reading(metric, department, 3, "1", small)
            _reading(metric, department, 4, "120")  # above the range: refused
            _reading(metric, department, 5, "-1")  # below it: refused
            _reading(metric, department, 6, "40", month=4)  # outside the quarter
        _reading(metric, south, 9, "33.3333")
    company = made["company"] = factories.MetricFactory(level=Metric.Level.COMPANY, aggregation=LAST)
    for day, value in ((1, "60"), (1, "61"), (2, "62.25")):
        _reading(company, None, day, value)
    made["inactive"] = factories.MetricFactory(active=False)
    _reading(made["inactive"], north, 1, "50")
    made["ledger"] = factories.MetricFactory(source=Metric.Source.LEDGER_GAINED)
    _reading(made["ledger"], north, 1, "50")  # kept from before it counted the ledger
    return made


def test_the_lean_totals_are_the_totals_of_the_figures(metrics):
    ctx = Context(period=Q1, now=timezone.now(), settings=scorecard_settings_get())
    chosen = list(metrics.values())
    expected = reading_figures(ctx=ctx, where=Q(metric_id__in=[m.pk for m in chosen])).totals
    assert reading_totals(ctx=ctx, metrics=chosen) == expected
    assert {metric_id for metric_id, _department in expected} == {
        metrics[SUM].pk,
        metrics[AVERAGE].pk,
        metrics[LAST].pk,
        metrics["company"].pk,
    }


def test_the_lean_totals_by_hand(metrics):
    ctx = Context(period=Q1, now=timezone.now(), settings=scorecard_settings_get())
    totals = reading_totals(ctx=ctx, metrics=list(metrics.values()))
    north = min(department for metric_id, department in totals if metric_id == metrics[SUM].pk)
    # 1 Feb: 10 + 20.5; 2 Feb: 7 + (8 + 9); 3 Feb: 30 (the unsegmented reading); the refused ones left out.
    assert (totals[(metrics[SUM].pk, north)].total, totals[(metrics[SUM].pk, north)].dates) == (Decimal("84.5"), 3)
    # Each date's value is the mean of its readings, each segment's apart: 15.25, 7 + 8.5, 30.
    assert totals[(metrics[AVERAGE].pk, north)].total == Decimal("60.75")
    # The latest entered of each date and segment: 20.5; 7 + 9; 30, the last date's total.
    figures = totals[(metrics[LAST].pk, north)]
    assert (figures.total, figures.last, figures.last_date) == (Decimal("66.5"), 30, dt.date(2026, 2, 3))
    assert totals[(metrics["company"].pk, None)].last == Decimal("62.25")


def test_the_lean_totals_read_the_readings_table_alone(metrics):
    ctx = Context(period=Q1, now=timezone.now(), settings=scorecard_settings_get())
    with CaptureQueriesContext(connection) as queries:
        reading_totals(ctx=ctx, metrics=list(metrics.values()))
    assert len(queries) == 2  # the groups, and the latest entered values of the last-value metrics
    assert not [q["sql"] for q in queries if "JOIN" in q["sql"]]


@pytest.mark.parametrize("only", ["north", "south", "both", "none"])
def test_read_for_some_departments_the_totals_are_those_departments_figures(metrics, only):
    """Follow-through with an edit waiting reads only the stale departments' readings of the
    department-level metrics (`departments`), and every reading of the others, in the same queries."""
    ctx = Context(period=Q1, now=timezone.now(), settings=scorecard_settings_get())
    chosen = {m.pk: m for m in metrics.values()}
    expected = reading_figures(ctx=ctx, where=Q(metric_id__in=list(chosen))).totals
    north, south = sorted({d for _m, d in expected if d is not None})
    read = {"north": {north}, "south": {south}, "both": {north, south}, "none": set()}[only]
    by_department = {metrics[SUM].pk: read, metrics[LAST].pk: read}  # the mean: every department
    with CaptureQueriesContext(connection) as queries:
        totals = reading_totals_by_period(metrics=chosen, wanted={Q1: None}, departments=by_department)[Q1]
    assert totals == {(m, d): figures for (m, d), figures in expected.items() if m not in by_department or d in read}
    assert len(queries) == (2 if not read else 3)  # the last-value metrics' latest values: one read each way
    assert not [q["sql"] for q in queries if "JOIN" in q["sql"]]
