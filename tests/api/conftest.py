"""API fixtures: token clients per role and a small world with one object of each kind."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

ROLES = ["cco", "head", "other_head", "owner", "executive", "anonymous"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def token_client(user=None) -> APIClient:
    """A client that authenticates like an integration: a fresh user object on every request."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def clients(cco_staff, head, other_head, owner, executive):
    users = {"cco": cco_staff, "head": head, "other_head": other_head, "owner": owner, "executive": executive}
    return {**{role: token_client(user) for role, user in users.items()}, "anonymous": token_client()}


@pytest.fixture
def world(department, other_department, cco_staff, owner, executive):
    """One object of each kind in `department` (head: `head`, member: `owner`)."""
    initiative = factories.InitiativeFactory(owner=cco_staff)
    factories.InitiativeDepartmentFactory(initiative=initiative, department=department)
    task = factories.TaskFactory(initiative=initiative, department=department, owner=owner)
    metric = factories.MetricFactory(code="fcr")
    segment = factories.CustomerSegmentFactory(name="Strategic")
    reason = factories.LossReasonFactory(name="Price")
    scorecard = factories.ScorecardFactory(department=department)
    factories.ScorecardLineFactory(scorecard=scorecard)
    return SimpleNamespace(
        department=department,
        other_department=other_department,
        roadmap=initiative.roadmap,
        initiative=initiative,
        task=task,
        check_in=factories.CheckInFactory(task=task),
        metric=metric,
        target=factories.TargetFactory(metric=metric, department=department),
        reading=factories.ReadingFactory(metric=metric, department=department),
        segment=segment,
        reason=reason,
        movement=factories.CustomerMovementFactory(segment=segment, department=department),
        recognition=factories.RecognitionFactory(task=task, recipient=owner),
        scorecard=scorecard,
        message=factories.MessageFactory(task=task, recipient=owner),
        user=owner,
        recipient=factories.UserFactory(username="recipient"),
        cco_staff=cco_staff,
    )
