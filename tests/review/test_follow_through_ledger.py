"""Follow-through of metrics counted from the movement ledger, hand-computed (docs/domain.md).

Today is 15 October 2026. "Win customers back" ran in 2026-Q2 and is done. Its case expects
customers lost (lower is better) at 5, customers gained at 10 and net customers at 0.
The ledger, the company's (two departments added up):
- Q1 (before): gained 3 + 2 = 5, lost 10 + 4 = 14, net 5 - 14 = -9;
- Q2 (while it ran): gained 6, lost 8, net -2;
- Q3 (after): gained 7, lost 6, net 1.
So lost went 14 → 6 (moved, 6 > 5 not reached), gained 5 → 7 (moved, not reached), net -9 → 1
(moved and reached). "Quiet quarter" ran in Q3: its "now" is Q4, without movements, so no value
(as a scorecard says "no customer movements"), and "moved" cannot be told.
"""

import datetime as dt

import pytest
import time_machine

from accountability.scorecards.follow_through import follow_through_get
from customers.models import Metric
from roadmap.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 10, 15, 12, tzinfo=dt.UTC)
SOURCE = Metric.Source


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _ledger_metric(code: str, source: str, direction: str = Metric.Direction.HIGHER) -> Metric:
    return factories.MetricFactory(
        code=code,
        unit="",
        source=source,
        direction=direction,
        aggregation=Metric.Aggregation.SUM,
        level=Metric.Level.COMPANY,
    )


@pytest.fixture
def win_back(department, other_department, cco_staff):
    lost = _ledger_metric("customers-lost", SOURCE.LEDGER_LOST, Metric.Direction.LOWER)
    gained = _ledger_metric("customers-gained", SOURCE.LEDGER_GAINED)
    net = _ledger_metric("net-customers", SOURCE.LEDGER_NET)
    for dep, day, kind, count in [
        (department, dt.date(2026, 1, 5), "gained", 3),
        (other_department, dt.date(2026, 3, 31), "gained", 2),
        (department, dt.date(2026, 2, 5), "lost", 10),
        (other_department, dt.date(2026, 1, 1), "lost", 4),
        (department, dt.date(2026, 5, 5), "gained", 6),
        (department, dt.date(2026, 6, 30), "lost", 8),
        (other_department, dt.date(2026, 7, 1), "gained", 7),
        (department, dt.date(2026, 9, 30), "lost", 6),
    ]:
        factories.CustomerMovementFactory(department=dep, date=day, kind=kind, count=count)
    initiative = factories.InitiativeFactory(
        title="Win customers back",
        status=Initiative.Status.DONE,
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 6, 30),
        owner=cco_staff,
    )
    by = dt.date(2026, 9, 30)
    for metric, expected in [(lost, 5), (gained, 10), (net, 0)]:
        factories.InitiativeExpectationFactory(
            initiative=initiative, metric=metric, expected_value=expected, by_date=by
        )
    return initiative


def _figures(follow) -> dict:
    return {
        m.metric.code: (m.before, m.now, [(str(p), v) for p, v in m.trend], m.moved, m.reached) for m in follow.metrics
    }


def test_ledger_metrics_are_counted_from_the_movements_of_each_quarter(win_back):
    figures = _figures(follow_through_get(initiative=win_back))
    assert figures == {
        "customers-lost": (14, 6, [("2026-Q2", 8)], True, False),
        "customers-gained": (5, 7, [("2026-Q2", 6)], True, False),
        "net-customers": (-9, 1, [("2026-Q2", -2)], True, True),
    }


def test_a_quarter_without_movements_has_no_ledger_value(win_back, cco_staff):
    quiet = factories.InitiativeFactory(
        title="Quiet quarter",
        status=Initiative.Status.DONE,
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2026, 9, 30),
        owner=cco_staff,
    )
    lost = Metric.objects.get(code="customers-lost")
    factories.InitiativeExpectationFactory(
        initiative=quiet, metric=lost, expected_value=5, by_date=dt.date(2026, 12, 31)
    )
    (figure,) = follow_through_get(initiative=quiet).metrics
    assert (str(figure.before_period), figure.before, str(figure.now_period), figure.now) == (
        "2026-Q2",
        8,
        "2026-Q4",
        None,
    )
    assert figure.moved is None
