"""The services behind the scorecard jobs, without a broker: stale requests, coalescing, the sweep."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accountability.models import Scorecard
from accountability.scorecards import sweeps
from accountability.scorecards.services import ScorecardError, scorecard_compute, scorecard_recompute
from accountability.scorecards.sweeps import recompute_requests_process
from core.periods import current_periods
from customers.services import reading_create
from org import stale
from org.models import RecomputeRequest
from org.stale import scorecard_request_recompute
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 8, 12, 9, 0, tzinfo=dt.UTC)
# Reading the requests, releasing the send-claim (2); per period (month, quarter) every stale
# department's snapshots from one run of the grouped queries, 22: savepoint, release,
# departments, settings, previous period, deliveries, metrics, readings (2), targets, hand-offs,
# movements (2), starting customers, participation (4), existing snapshots, inserts (2), webhook
# subscribers; deleting their requests; then the company's the same way, without departments
# and participation (17 per period), and deleting its request: 3 + 2 * 22 + 1 + 2 * 17 + 1.
SWEEP_QUERIES = 83


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
    real_compute = sweeps.scorecards_compute_subjects

    def compute_while_someone_edits(**kwargs):
        with time_machine.travel(NOW + dt.timedelta(seconds=5), tick=False):
            scorecard_request_recompute(department_ids=[department.pk])
        return real_compute(**kwargs)

    with time_machine.travel(NOW, tick=False):
        scorecard_request_recompute(department_ids=[department.pk])
    monkeypatch.setattr(sweeps, "scorecards_compute_subjects", compute_while_someone_edits)
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


def _stale_world(departments: list) -> None:
    """Tasks, readings against a target and movements of each department in August 2026."""
    metric = factories.MetricFactory(code="first-contact-resolution")
    factories.TargetFactory(metric=metric, period_kind="quarter", period_start=dt.date(2026, 7, 1))
    for i, department in enumerate(departments):
        factories.TaskFactory(department=department, due_date=dt.date(2026, 8, 3 + i))
        factories.ReadingFactory(metric=metric, department=department, date=dt.date(2026, 8, 4), value=70 + i)
        factories.CustomerMovementFactory(department=department, date=dt.date(2026, 8, 5), count=1 + i)


def _snapshots() -> dict:
    return {
        (card.scope, card.department_id, card.period_kind, card.period_start): (
            card.overall_score,
            [(line.label, line.value, line.score, line.explanation, line.inputs) for line in card.lines.all()],
        )
        for card in Scorecard.objects.prefetch_related("lines")
    }


def test_the_sweep_computes_each_subject_as_computing_it_alone_would(department, other_department, sent):
    _stale_world([department, other_department])
    scorecard_request_recompute(department_ids=[department.pk, other_department.pk])
    recompute_requests_process(now=NOW)
    swept = _snapshots()
    Scorecard.objects.all().delete()
    for period in current_periods(now=NOW):
        scorecard_compute(period=period, scope="company", now=NOW)
        for d in (department, other_department):
            scorecard_compute(period=period, scope="department", department=d, now=NOW)
    assert len(swept) == 6
    assert swept == _snapshots()


@pytest.mark.parametrize("n", [1, 3])
def test_the_sweep_takes_the_same_queries_for_one_stale_department_or_several(n, sent, django_assert_num_queries):
    departments = factories.DepartmentFactory.create_batch(n)
    _stale_world(departments)
    scorecard_request_recompute(department_ids=[d.pk for d in departments])
    with django_assert_num_queries(SWEEP_QUERIES):
        assert recompute_requests_process(now=NOW) == n + 1
    assert Scorecard.objects.count() == 2 * (n + 1)


def test_the_sweep_computes_the_departments_before_the_company_and_the_month_before_the_quarter(
    department, other_department, sent, monkeypatch
):
    computed = []
    real_compute = sweeps.scorecards_compute_subjects

    def compute(**kwargs):
        computed.append((kwargs["period"].label, kwargs["company"], kwargs["department_ids"]))
        return real_compute(**kwargs)

    monkeypatch.setattr(sweeps, "scorecards_compute_subjects", compute)
    scorecard_request_recompute(department_ids=[department.pk, other_department.pk])
    recompute_requests_process(now=NOW)
    both = sorted([department.pk, other_department.pk])
    assert computed == [
        ("2026-08", False, both),
        ("2026-Q3", False, both),
        ("2026-08", True, []),
        ("2026-Q3", True, []),
    ]
