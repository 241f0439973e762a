"""The services behind the scorecard jobs, without a broker: stale requests, coalescing, the sweep."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accountability.models import Scorecard
from accountability.scorecards import sweeps
from accountability.scorecards.services import ScorecardError, scorecard_recompute
from accountability.scorecards.sweeps import recompute_requests_process
from customers.services import reading_create
from org import stale
from org.models import RecomputeRequest
from org.stale import scorecard_request_recompute
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 8, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def sent(monkeypatch):
    """The messages the on-commit hook would have sent (the broker is tested with a real worker)."""
    messages = []
    monkeypatch.setattr(stale, "publish", lambda task, **kw: messages.append(task) or True)
    return messages


def test_a_thousand_edits_leave_one_request_per_department_and_one_for_the_company(department, other_department):
    for i in range(1000):
        with transaction.atomic():
            scorecard_request_recompute(department_ids=[department.pk if i % 2 else other_department.pk])
    keys = set(RecomputeRequest.objects.values_list("key", flat=True))
    assert keys == {"company", f"department-{department.pk}", f"department-{other_department.pk}"}


def test_saving_a_reading_records_its_department_as_stale(department):
    reading_create(metric=factories.MetricFactory(), department=department, date=dt.date(2026, 8, 1), value=Decimal(3))
    assert RecomputeRequest.objects.filter(department=department).exists()


def test_a_rolled_back_edit_leaves_no_request(department):
    with pytest.raises(RuntimeError), transaction.atomic():
        scorecard_request_recompute(department_ids=[department.pk])
        raise RuntimeError("the edit failed")
    assert not RecomputeRequest.objects.exists()


def test_commits_within_the_window_send_one_message_and_after_it_another(
    department, sent, django_capture_on_commit_callbacks, settings
):
    settings.SCORECARD_ENQUEUE_WINDOW = 60
    with time_machine.travel(NOW, tick=False):
        for _ in range(100):
            with django_capture_on_commit_callbacks(execute=True):
                scorecard_request_recompute(department_ids=[department.pk])
    assert sent == ["accountability.scorecards_sweep_recompute_requests"]
    with (
        time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        scorecard_request_recompute(department_ids=[department.pk])
    assert len(sent) == 2


@pytest.fixture
def countdowns(monkeypatch):
    """The countdown of each sweep message the on-commit hook would have sent."""
    sent = []
    monkeypatch.setattr(stale, "publish", lambda task, countdown=None, **kw: sent.append(countdown) or True)
    return sent


def test_the_first_edit_after_a_quiet_spell_is_swept_at_once_and_a_burst_once_per_delay(
    department, countdowns, django_capture_on_commit_callbacks, settings
):
    settings.SCORECARD_RECOMPUTE_DELAY, settings.SCORECARD_ENQUEUE_WINDOW = 2, 60

    def edit(seconds: float) -> None:
        with (
            time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            scorecard_request_recompute(department_ids=[department.pk])

    def sweep_starts(seconds: float) -> None:
        with time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False):
            stale.recompute_claim_release(now=timezone.now())

    edit(0)
    assert countdowns == [0]  # nothing swept lately: at once
    sweep_starts(0.25)
    edit(1)  # during the burst: one sweep per delay, so 2 s after the last one started
    edit(1.5)  # a message is waiting: nothing sent
    assert countdowns == [0, 1.25]
    sweep_starts(2.25)
    edit(30)  # a quiet spell since: at once again
    assert countdowns == [0, 1.25, 0]


def test_the_sweep_recomputes_each_stale_subject_for_the_current_month_and_quarter(department, sent):
    scorecard_request_recompute(department_ids=[department.pk])
    with time_machine.travel(NOW, tick=False):
        assert recompute_requests_process() == 2
    cards = set(Scorecard.objects.values_list("scope", "department", "period_kind", "period_start"))
    assert cards == {
        ("company", None, "month", dt.date(2026, 8, 1)),
        ("company", None, "quarter", dt.date(2026, 7, 1)),
        ("department", department.pk, "month", dt.date(2026, 8, 1)),
        ("department", department.pk, "quarter", dt.date(2026, 7, 1)),
    }
    assert not RecomputeRequest.objects.exists()


def test_sweeping_twice_keeps_one_snapshot_per_period_and_scope(department, sent):
    for _ in range(2):
        scorecard_request_recompute(department_ids=[department.pk])
        recompute_requests_process()
    assert Scorecard.objects.count() == 4


def test_a_request_renewed_during_its_recompute_stays_stale(department, sent, monkeypatch):
    real_compute = sweeps.scorecard_compute

    def compute_while_someone_edits(**kwargs):
        with time_machine.travel(NOW + dt.timedelta(seconds=5), tick=False):
            scorecard_request_recompute(department_ids=[department.pk])
        return real_compute(**kwargs)

    with time_machine.travel(NOW, tick=False):
        scorecard_request_recompute(department_ids=[department.pk])
    monkeypatch.setattr(sweeps, "scorecard_compute", compute_while_someone_edits)
    recompute_requests_process(now=NOW)
    assert set(RecomputeRequest.objects.values_list("key", flat=True)) == {"company", f"department-{department.pk}"}
    assert set(RecomputeRequest.objects.values_list("enqueued_at", flat=True)) == {None}


def test_the_sweep_works_in_bounded_batches_oldest_first(sent):
    departments = factories.DepartmentFactory.create_batch(3)
    for i, department in enumerate(departments):
        with time_machine.travel(NOW + dt.timedelta(minutes=i), tick=False):
            scorecard_request_recompute(department_ids=[department.pk])
    # The company row was renewed last: the two oldest are the first two departments.
    assert recompute_requests_process(limit=2) == 2
    assert set(RecomputeRequest.objects.values_list("department", flat=True)) == {departments[2].pk, None}


def test_recomputing_an_unknown_department_is_a_clear_error():
    with pytest.raises(ScorecardError, match="There is no department 999999"):
        scorecard_recompute(period="2026-Q3", scope="department", department_id=999999)
    assert not Scorecard.objects.exists()


def test_an_edit_of_another_department_does_not_send_a_second_waiting_message(
    department, other_department, sent, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            scorecard_request_recompute(department_ids=[department.pk])
        with django_capture_on_commit_callbacks(execute=True):
            scorecard_request_recompute(department_ids=[other_department.pk])
        assert len(sent) == 1
        # The sweep starts: it releases the claim, and the next edit sends the next message.
        recompute_requests_process()
        with django_capture_on_commit_callbacks(execute=True):
            scorecard_request_recompute(department_ids=[other_department.pk])
    assert len(sent) == 2
