"""Pledge, meeting, pay plan and metric conflict changelists: as many queries for 100 rows as for 10."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.admin_world import changelist_query_counts

pytestmark = pytest.mark.django_db


def _pledges(department):
    initiative = factories.InitiativeFactory()

    def add(n):
        people = [factories.TaskOwnerFactory() for _ in range(n)]
        department.members.add(*people)
        for person in people:
            factories.PledgeFactory(initiative=initiative, department=department, person=person)

    return add


def _meetings(department):
    initiatives = [factories.InitiativeFactory() for _ in range(3)]
    people = [factories.TaskOwnerFactory() for _ in range(3)]

    def add(n):
        for i in range(n):
            factories.MeetingFactory(initiative=initiatives[i % 3], date=dt.date(2026, 3, 1), attendees=people)

    return add


def _pay_plans(department):
    metrics = [factories.MetricFactory() for _ in range(3)]

    def add(n):
        for _ in range(n):
            factories.PayPlanFactory(weights=[(m, 1) for m in metrics])

    return add


def _conflicts(department):
    def add(n):
        factories.MetricConflictFactory.create_batch(n)

    return add


@pytest.mark.parametrize(
    ("model", "rows"),
    [
        ("roadmap_pledge", _pledges),
        ("roadmap_meeting", _meetings),
        ("accountability_payplan", _pay_plans),
        ("accountability_metricconflict", _conflicts),
    ],
)
def test_the_changelist_runs_as_many_queries_for_100_rows_as_for_10(client, cco_staff, department, model, rows):
    client.force_login(cco_staff)
    (rows_10, queries_10), (rows_100, queries_100) = changelist_query_counts(
        client, reverse(f"admin:{model}_changelist"), add_rows=rows(department)
    )
    assert (rows_10, rows_100) == (10, 100)
    assert queries_100 == queries_10
