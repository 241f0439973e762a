"""The engine's query count does not depend on the number of tasks, readings or movements."""

import datetime as dt
import itertools

import pytest

from accountability.models import Scorecard
from accountability.scorecards.services import scorecard_compute, scorecards_compute_period
from core.periods import Period
from tests import factories
from tests.accountability.scorecard_data import local, metric, target

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")
NOW = local(dt.date(2026, 3, 20))
STATES = [
    {"status": "done", "completed_at": local(dt.date(2026, 2, 1))},
    {"status": "in_progress", "status_changed_at": local(dt.date(2026, 1, 5))},
    {"status": "blocked"},
    {"status": "not_started"},
]


@pytest.fixture
def world(department, other_department, owner):
    """Two departments, two owners, four metrics with targets, a customers count."""
    other_owner = factories.TaskOwnerFactory()
    metrics = [
        metric("m-sum", aggregation="sum"),
        metric("m-avg"),
        metric("m-last", aggregation="last"),
        metric("m-company", level="company"),
    ]
    for m in metrics:
        target(m, t=80, a=70)
    target(metrics[0], t=90, a=50, department=department)
    customers = metric("customers", aggregation="last")
    for d in (department, other_department):
        factories.ReadingFactory(metric=customers, department=d, date=dt.date(2025, 12, 31), value=100)
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    factories.PledgeFactory(initiative=initiative, department=department, person=owner)
    return {
        "departments": [department, other_department],
        "owners": [owner, other_owner],
        "metrics": metrics,
        "initiative": initiative,
        "segment": factories.CustomerSegmentFactory(),
        "reasons": [factories.LossReasonFactory(), factories.LossReasonFactory()],
    }


def populate(world, n: int) -> None:
    """n tasks (with check-ins, each waiting on the one before: hand-offs), n readings and n movements."""
    departments, owners = itertools.cycle(world["departments"]), itertools.cycle(world["owners"])
    states, days = itertools.cycle(STATES), itertools.cycle(range(1, 28))
    previous = None
    for i in range(n):
        day = dt.date(2026, 1 + i % 3, next(days))
        task = factories.TaskFactory(
            initiative=world["initiative"],
            department=next(departments),
            owner=next(owners),
            due_date=day,
            **next(states),
        )
        factories.CheckInFactory(task=task, date=day)
        if previous is not None:
            task.depends_on.add(previous)
        previous = task
        m = world["metrics"][i % 4]
        department = None if m.level == "company" else next(departments)
        factories.ReadingFactory(metric=m, department=department, date=day, value=60 + i % 30)
        kind = "lost" if i % 3 else "gained"
        reason = world["reasons"][i % 2] if kind == "lost" else None
        factories.CustomerMovementFactory(
            department=next(departments),
            date=day,
            kind=kind,
            count=1 + i % 4,
            segment=world["segment"],
            loss_reason=reason,
        )


# Every count includes the savepoint and its release (the engine's transaction inside the test's).
SCOPES = {
    # savepoint, release, settings, department/owner check, previous period, deliveries, metrics, sums, last values,
    # targets, movements, movements by date, starting customers, existing snapshots, insert scorecard, insert lines
    # hand-offs by giver department (one more since hand-off rates); a department's participation line
    # adds its pledges, check-ins, task edits and meetings attended (four more)
    "company": 16,
    "department": 21,
    # savepoint, release, settings, owner check, previous period, delivery by owner, existing snapshots, inserts
    "owner": 9,
}


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("scope", SCOPES)
def test_one_scorecard_takes_a_fixed_number_of_queries(world, django_assert_num_queries, scope, n):
    populate(world, n)
    subject = {"department": world["departments"][0]} if scope == "department" else {}
    subject = {"owner": world["owners"][0]} if scope == "owner" else subject
    scorecard_compute(period=Q1, scope=scope, now=NOW, **subject)  # a snapshot to replace

    # Replacing it adds the delete: find it, delete its lines, delete it; and who subscribes to
    # `scorecard.computed` webhooks (the domain event, core/events.py).
    with django_assert_num_queries(SCOPES[scope] + 4):
        card = scorecard_compute(period=Q1, scope=scope, now=NOW, **subject)

    assert card.tasks_due > 0


@pytest.mark.parametrize("n", [5, 50])
def test_a_whole_period_takes_a_fixed_number_of_queries(world, django_assert_num_queries, n):
    populate(world, n)
    scorecards_compute_period(period=Q1, now=NOW)

    # savepoint, release, departments, settings, previous period, deliveries per department and
    # per owner, metrics, sums, last values, targets, movements, starting customers, existing
    # snapshots, delete (3), inserts (2), hand-offs by giver; participation: pledges, check-ins, task
    # edits, meetings attended; webhook subscribers (core/events.py).
    with django_assert_num_queries(26):
        written = scorecards_compute_period(period=Q1, now=NOW)

    assert written == 1 + 2 + 2 == Scorecard.objects.count()
