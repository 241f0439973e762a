"""Shared steps of the scorecard worker tests: saving readings, reading the worker's logs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.utils import timezone

from accountability.models import Scorecard
from customers.services import reading_create
from org.models import RecomputeRequest
from tests import factories
from tests.worker import CeleryProcesses

SWEEP_TASK = "accountability.scorecards_sweep_recompute_requests"


def save_reading(*, department, metric=None, value: int = 1):
    metric = metric or factories.MetricFactory(code="first-contact-resolution")
    return reading_create(metric=metric, department=department, date=timezone.localdate(), value=Decimal(value))


def department_snapshot(department) -> Scorecard | None:
    month_start = timezone.localdate().replace(day=1)
    return Scorecard.objects.filter(
        scope="department", department=department, period_kind="month", period_start=month_start
    ).first()


def fresh_since(department, moment: dt.datetime) -> bool:
    """The department's current snapshot was computed after `moment` and nothing is stale."""
    card = department_snapshot(department)
    return bool(card and card.computed_at >= moment and not RecomputeRequest.objects.exists())


def count_in_logs(processes: CeleryProcesses, pattern: str) -> int:
    return len(re.findall(pattern, processes.logs()))


def received(processes: CeleryProcesses, task_name: str) -> int:
    """How many messages of this task the workers received (Celery logs one line per message)."""
    return count_in_logs(processes, rf"Task {re.escape(task_name)}\[[0-9a-f-]+\] received")
