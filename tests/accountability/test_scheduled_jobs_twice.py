"""Every job on beat's schedule is harmless when it fires twice (a second beat on another machine).

The list of jobs is read from the schedule itself: a new job without a case here fails the
first test. Each case builds data the job has work for, runs the job, then runs it again and
checks that the second run changed nothing: no new row, no recompute, no message enqueued again.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from accountability.models import Message, ScheduledRun, Scorecard
from cco.celery import app
from core.models import JobRun
from org.models import RecomputeRequest
from org.stale import scorecard_request_recompute
from tests import factories

pytestmark = pytest.mark.django_db
# A Monday, 12:00 UTC: digests are due (Monday 08:00), the nightly hour (02:00) has passed, and
# the previous month and quarter are past their closing day.
INSTANT = dt.datetime(2026, 7, 6, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 7, 6)


def _tasks_due(department) -> None:
    factories.TaskFactory(department=department, due_date=TODAY + dt.timedelta(days=3))
    factories.TaskFactory(department=department, due_date=dt.date(2026, 6, 20))


def _messages() -> set[tuple]:
    return set(Message.objects.values_list("id", "kind", "recipient_id", "for_date", "status", "enqueued_at"))


def _scorecards() -> set[tuple]:
    fields = ("id", "scope", "department_id", "owner_id", "period_kind", "period_start", "closed", "computed_at")
    return set(Scorecard.objects.values_list(*fields))


def _scorecards_and_claims() -> tuple:
    return _scorecards(), set(ScheduledRun.objects.values_list("name", "last_run_on")), RecomputeRequest.objects.count()


def _reminders_setup(department, head, cco_staff) -> None:
    _tasks_due(department)


def _recompute_requests_setup(department, head, cco_staff) -> None:
    _tasks_due(department)
    scorecard_request_recompute(department_ids=[department.pk], dates=[TODAY])


def _fade_setup(department, head, cco_staff) -> None:
    """A task force of four that all met in May and nobody in June: faded in the last complete month."""
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 12, 31))
    people = [factories.TaskOwnerFactory() for _ in range(4)]
    department.members.add(*people)
    for person in people:
        factories.PledgeFactory(initiative=initiative, department=department, person=person)
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 5, 10), attendees=people)


def _chat_setup(department, head, cco_staff) -> None:
    """A department with a chat channel, and a reminder about one of its tasks."""
    from integrations.services import chat_channel_save

    chat_channel_save(department=department, url="json://chat.example.org/hook")
    factories.MessageFactory(task__department=department, for_date=TODAY)


def _chat_deliveries() -> set[tuple]:
    from integrations.models import ChatDelivery

    return set(ChatDelivery.objects.values_list("id", "channel_id", "message_id", "status", "enqueued_at"))


def _webhooks_setup(department, head, cco_staff) -> None:
    """A subscriber to overdue tasks, and a task overdue since June."""
    factories.WebhookSubscriptionFactory(events=["task.overdue"])
    _tasks_due(department)


def _webhook_events() -> set[tuple]:
    from integrations.models import WebhookDelivery

    return set(WebhookDelivery.objects.values_list("id", "event__key", "status", "attempts"))


def _nothing_to_set_up(department, head, cco_staff) -> None:
    pass


def _job_rows() -> set[str]:
    """The heartbeat's only effect: its row (a second run moves its time, which is the point)."""
    return set(JobRun.objects.values_list("name", flat=True))


# name on the schedule -> (data the job has work for, what the job changes)
JOBS = {
    "accountability.reminders_fanout": (_reminders_setup, _messages),
    "accountability.digests_fanout": (_reminders_setup, _messages),
    "accountability.fade_alerts_fanout": (_fade_setup, _messages),
    "accountability.scorecards_sweep_recompute_requests": (_recompute_requests_setup, _scorecards_and_claims),
    "accountability.scorecards_nightly_recompute": (_reminders_setup, _scorecards_and_claims),
    "accountability.scorecards_close_periods": (_reminders_setup, _scorecards_and_claims),
    "integrations.chat_fanout": (_chat_setup, _chat_deliveries),
    "integrations.webhooks_sweep": (_webhooks_setup, _webhook_events),
    "core.heartbeat": (_nothing_to_set_up, _job_rows),
}


def test_every_job_on_the_schedule_has_a_fired_twice_case():
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} == set(JOBS)


@pytest.mark.parametrize("name", sorted(JOBS))
def test_a_job_fired_twice_does_its_work_once(name, department, head, cco_staff):
    setup, effects = JOBS[name]
    setup(department, head, cco_staff)
    before = effects()
    with time_machine.travel(INSTANT, tick=True):  # a second run would stamp a later time
        app.tasks[name].apply(throw=True)
        once = effects()
        app.tasks[name].apply(throw=True)
        twice = effects()

    assert once != before, "the first run had work to do"
    assert twice == once
