"""Scorecard jobs run by real Celery worker and beat processes against a private Redis."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import ScheduledRun, Scorecard, ScorecardSettings
from core.periods import Period
from customers.services import reading_create
from org.models import RecomputeRequest
from tests import factories
from tests.accountability.scorecard_worker_helpers import (
    SWEEP_TASK,
    count_in_logs,
    department_snapshot,
    fresh_since,
    received,
    save_reading,
)
from tests.worker import wait_until

pytestmark = pytest.mark.worker
FAST_BEAT = {"SCORECARD_SWEEP_SECONDS": "1"}


def test_the_scheduled_sweep_recomputes_what_the_database_marked_stale(celery_processes, department):
    # Rows written straight to the database, with no message sent: only beat's sweep finds them.
    RecomputeRequest.objects.create(
        key=f"department-{department.pk}", department=department, requested_at=timezone.now()
    )
    celery_processes.worker()
    celery_processes.beat(**FAST_BEAT)
    wait_until(lambda: department_snapshot(department), timeout=90, message="the sweep recomputed the department")
    wait_until(lambda: not RecomputeRequest.objects.exists(), timeout=30, message="the request was cleared")


def test_the_nightly_recompute_runs_from_beat_at_the_configured_local_hour(celery_processes, department):
    ScorecardSettings.objects.create(nightly_recompute_hour=0)  # every local hour is at or after midnight
    celery_processes.worker()
    celery_processes.beat(**FAST_BEAT)
    wait_until(
        lambda: ScheduledRun.objects.filter(name="nightly-recompute", last_run_on=timezone.localdate()).exists(),
        timeout=90,
        message="the nightly recompute claimed today",
    )
    wait_until(lambda: Scorecard.objects.filter(scope="company").count() >= 2, timeout=30, message="snapshots")


def test_recompute_now_in_the_admin_enqueues_and_the_snapshot_is_refreshed(celery_processes, client, cco_staff):
    long_ago = timezone.now() - dt.timedelta(days=3)
    card = factories.ScorecardFactory(period_kind="month", period_start=dt.date(2026, 7, 1), computed_at=long_ago)
    celery_processes.worker()
    client.force_login(cco_staff)
    response = client.post(
        reverse("admin:accountability_scorecard_changelist"),
        {"action": "recompute_now", "_selected_action": [card.pk]},
        follow=True,
    )
    assert "Recompute queued for 1 scorecard(s)" in response.content.decode()
    # A recompute replaces the snapshot, so it is found again by its period and subject.
    same_subject = Scorecard.objects.filter(
        period_kind=card.period_kind, period_start=card.period_start, scope=card.scope, department=card.department_id
    )
    wait_until(
        lambda: same_subject.filter(computed_at__gt=long_ago).exists(), timeout=90, message="recomputed by the worker"
    )
    assert Scorecard.objects.count() == 1


def test_a_thousand_edits_start_a_bounded_number_of_recomputes(celery_processes, department, settings):
    settings.SCORECARD_RECOMPUTE_DELAY = 1
    celery_processes.worker()
    metric = factories.MetricFactory(code="first-contact-resolution")
    started = time.monotonic()
    for i in range(1000):
        save_reading(department=department, metric=metric, value=i % 101)
    elapsed = time.monotonic() - started
    last_edit = timezone.now()
    wait_until(lambda: fresh_since(department, last_edit), timeout=120, message="the last edit was recomputed")
    total = time.monotonic() - started
    messages = received(celery_processes, SWEEP_TASK)
    recomputes = count_in_logs(celery_processes, r"Recomputed scorecards of [^\n]*department-")
    print(f"1000 edits in {elapsed:.1f}s, fresh after {total:.1f}s: {messages} sweep messages, {recomputes} recomputes")
    # The send-claim keeps one message waiting per delay; a sweep retried because the edits
    # held the database lock is received again, so allow two per delay: the count grows with
    # time, not with the number of edits.
    assert 1 <= messages <= 2 * (total / settings.SCORECARD_RECOMPUTE_DELAY + 1), (messages, total)
    assert recomputes <= messages
    assert messages < 1000 / 5  # and far fewer than the edits


def test_two_beats_produce_the_same_snapshots_as_one(celery_processes, department, other_department, owner):
    ScorecardSettings.objects.create(nightly_recompute_hour=0)
    # The owner has a task due in this month, in the previous month and in the previous
    # quarter, so that every period computed here has an owner scorecard too.
    today = timezone.localdate()
    this_month = Period.containing(today, "month")
    for due in (today, this_month.previous.start, Period.containing(today, "quarter").previous.start):
        factories.TaskFactory(department=department, owner=owner, due_date=due)
    celery_processes.worker(concurrency=2)
    celery_processes.beat(**FAST_BEAT)
    celery_processes.beat(**FAST_BEAT)
    # Both beats send every sweep every second; wait until each sent several nightly ones.
    wait_until(
        lambda: count_in_logs(celery_processes, r"Scheduler: Sending due task scorecards-nightly-recompute") >= 8,
        timeout=120,
        message="both beats sent the nightly sweep several times",
    )
    wait_until(lambda: received(celery_processes, "accountability.scorecards_nightly_recompute") >= 8, timeout=60)
    time.sleep(3)  # let the worker finish what it received
    subjects = list(Scorecard.objects.values_list("period_kind", "period_start", "scope", "department", "owner"))
    assert len(subjects) == len(set(subjects))
    # Company, two departments and one owner, for this month, this quarter and, closed, the previous ones.
    assert len(subjects) == 4 * 4
    assert count_in_logs(celery_processes, r"Nightly recompute ran for") == 1
    assert count_in_logs(celery_processes, r"Closed the scorecards of") == 2


def test_a_back_dated_reading_is_recomputed_by_the_worker_in_its_own_past_quarter(celery_processes, department):
    metric = factories.MetricFactory(code="first-contact-resolution")
    last_year = Period.containing(timezone.localdate().replace(year=timezone.localdate().year - 1))
    reading_create(metric=metric, department=department, date=last_year.start, value=Decimal(70))
    assert RecomputeRequest.objects.filter(period_start=last_year.start).exists()
    celery_processes.worker()  # the save's message waits in the broker for it

    def past_snapshot():
        return Scorecard.objects.filter(
            scope="department", department=department, period_kind=last_year.kind, period_start=last_year.start
        ).first()

    wait_until(lambda: past_snapshot() is not None, timeout=90, message="the worker computed the past quarter")
    assert past_snapshot().lines.get(metric=metric, part="metric").value == Decimal(70)
    wait_until(lambda: not RecomputeRequest.objects.exists(), timeout=30, message="every mark was cleared")
