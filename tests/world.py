"""The one shared world of the tests: a small organisation with one object of each kind per department.

Every test that needs "one of everything" asks for the `world` fixture (registered in tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from customers.models import Metric
from org.models import Profile
from tests import factories

ROLES = ["cco", "head", "other_head", "owner", "executive", "anonymous"]


@pytest.fixture
def world(department, other_department, cco_staff, executive, head, other_head, owner):
    """Department D (head `head`, member `owner`) and department E (head `other_head`, member `other_owner`).

    One object of each kind in D, and its twin in E where the kind belongs to a department, so a
    test can tell what a role sees from what it may not. The names without a suffix (`task`,
    `check_in`, `reading`, `movement`) are D's, for tests that need one object of each kind.
    """
    other_owner = factories.TaskOwnerFactory(username="other_owner")
    other_department.members.add(other_owner)
    colleague = factories.TaskOwnerFactory(username="colleague")
    department.members.add(colleague)
    initiative = factories.InitiativeFactory(title="Faster onboarding", owner=cco_staff)
    budget_line = factories.InitiativeDepartmentFactory(initiative=initiative, department=department)
    task_d = factories.TaskFactory(title="Task D", initiative=initiative, department=department, owner=owner)
    task_d2 = factories.TaskFactory(title="Task D2", initiative=initiative, department=department, owner=colleague)
    task_e = factories.TaskFactory(
        title="Task E", initiative=initiative, department=other_department, owner=other_owner
    )
    metric = factories.MetricFactory(code="first-contact-resolution")
    check_in_d = factories.CheckInFactory(task=task_d, note="D")
    reading_d = factories.ReadingFactory(metric=metric, department=department, value=71)
    company_metric = factories.MetricFactory(code="customers", level=Metric.Level.COMPANY)
    segment = factories.CustomerSegmentFactory(name="Strategic")
    movement_d = factories.CustomerMovementFactory(segment=segment, department=department, count=3)
    scorecard = factories.ScorecardFactory(department=department)
    factories.ScorecardLineFactory(scorecard=scorecard)
    reason = factories.LossReasonFactory(name="Price")
    users = {
        "cco": cco_staff,
        "head": head,
        "other_head": other_head,
        "owner": owner,
        "executive": executive,
        "anonymous": AnonymousUser(),
    }
    return SimpleNamespace(
        users=users,
        department=department,
        other_department=other_department,
        initiative=initiative,
        budget_line=budget_line,
        roadmap=initiative.roadmap,
        task_d=task_d,
        task_d2=task_d2,
        task_e=task_e,
        task=task_d,
        check_in_d=check_in_d,
        check_in=check_in_d,
        check_in_e=factories.CheckInFactory(task=task_e, note="E"),
        metric=metric,
        company_metric=company_metric,
        target=factories.TargetFactory(metric=metric, department=department),
        reading_d=reading_d,
        reading=reading_d,
        reading_e=factories.ReadingFactory(metric=metric, department=other_department, value=72),
        reading_company=factories.ReadingFactory(metric=company_metric, department=None, value=1000),
        segment=segment,
        reason=reason,
        movement_d=movement_d,
        movement=movement_d,
        movement_e=factories.CustomerMovementFactory(segment=segment, department=other_department, count=4),
        movement_company=factories.CustomerMovementFactory(segment=segment, department=None, count=5),
        recognition=factories.RecognitionFactory(giver=cco_staff, recipient=owner, task=task_d),
        profile=Profile.objects.create(user=owner, time_zone="Europe/Paris"),
        scorecard=scorecard,
        message=factories.MessageFactory(task=task_d, recipient=owner),
        user=owner,
        recipient=factories.UserFactory(username="recipient"),
        colleague=colleague,
        pledge=factories.PledgeFactory(initiative=initiative, department=department, person=colleague),
        meeting=factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 3, 1), attendees=[colleague]),
        cco_staff=cco_staff,
        pay_plan=factories.PayPlanFactory(department=department, weights=[(metric, 2)]),
        metric_conflict=factories.MetricConflictFactory(
            metric_a=metric, metric_b=factories.MetricFactory(code="talk-time", about_customers=False)
        ),
        webhook_subscription=factories.WebhookSubscriptionFactory(),
        today=dt.date(2026, 3, 2),
    )
