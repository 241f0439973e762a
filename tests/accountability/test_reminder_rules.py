"""The reminder rules: what is due, to whom, on which of the recipient's own dates."""

import datetime as dt

import pytest
from django.core import mail

from accountability.models import Message, ReminderSettings
from accountability.reminders.delivery import messages_deliver
from roadmap.models import Task
from tests import factories
from tests.accountability.reminder_helpers import UTC, d, sweep, user_in

K = Message.Kind


@pytest.fixture
def task(department, owner):
    return factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4))


def test_due_soon_reminds_the_owner_three_days_and_one_day_before(task):
    assert sweep(2026, 6, 1, 12) == {(K.DUE_SOON, f"task:{task.pk}", "owner", d(6, 1))}
    assert sweep(2026, 6, 2, 12) == set()
    assert sweep(2026, 6, 3, 12) == {(K.DUE_SOON, f"task:{task.pk}", "owner", d(6, 3))}
    assert sweep(2026, 6, 4, 12) == set()


def test_a_second_sweep_on_the_same_day_records_nothing_new(task):
    assert len(sweep(2026, 6, 1, 9)) == 1
    assert sweep(2026, 6, 1, 9, 15) == set()
    assert Message.objects.count() == 1


def test_done_and_cancelled_tasks_get_no_reminders(department, owner):
    factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), status=Task.Status.DONE)
    factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4), status=Task.Status.CANCELLED)
    assert sweep(2026, 6, 1, 12) == set()


def test_overdue_is_daily_for_the_first_week_then_weekly(task):
    days_late = []
    for late in range(1, 30):
        day = task.due_date + dt.timedelta(days=late)
        if any(kind == K.OVERDUE for kind, *_ in sweep(day.year, day.month, day.day, 12)):
            days_late.append(late)
    assert days_late == [1, 2, 3, 4, 5, 6, 7, 14, 21, 28]


def test_stale_in_progress_task_reminds_after_fourteen_quiet_days_then_weekly(department, owner):
    task = factories.TaskFactory(department=department, owner=owner, due_date=d(9, 30), status=Task.Status.IN_PROGRESS)
    factories.CheckInFactory(task=task, date=d(5, 1))
    assert sweep(2026, 5, 14, 12) == set()
    assert sweep(2026, 5, 15, 12) == {(K.STALE, f"task:{task.pk}", "owner", d(5, 15))}
    assert sweep(2026, 5, 16, 12) == set()
    assert sweep(2026, 5, 22, 12) == {(K.STALE, f"task:{task.pk}", "owner", d(5, 22))}


def test_a_recent_check_in_keeps_a_task_from_being_stale(department, owner):
    task = factories.TaskFactory(department=department, owner=owner, due_date=d(9, 30), status=Task.Status.IN_PROGRESS)
    factories.CheckInFactory(task=task, date=d(5, 1))
    factories.CheckInFactory(task=task, date=d(5, 10))
    assert sweep(2026, 5, 15, 12) == set()


def test_escalates_to_the_head_when_more_than_seven_days_overdue(task, head):
    assert not any(k == K.ESCALATION for k, *_ in sweep(2026, 6, 11, 12))  # 7 days late
    assert (K.ESCALATION, f"task:{task.pk}", head.username, d(6, 12)) in sweep(2026, 6, 12, 12)
    assert not any(k == K.ESCALATION for k, *_ in sweep(2026, 6, 13, 12))
    assert (K.ESCALATION, f"task:{task.pk}", head.username, d(6, 19)) in sweep(2026, 6, 19, 12)


def test_escalates_a_task_blocked_more_than_seven_days_to_the_head(department, owner, head):
    blocked = factories.TaskFactory(
        department=department,
        owner=owner,
        due_date=d(9, 30),
        status=Task.Status.BLOCKED,
        status_changed_at=dt.datetime(2026, 6, 1, 10, tzinfo=UTC),
    )
    assert sweep(2026, 6, 8, 12) == set()
    assert sweep(2026, 6, 9, 12) == {(K.ESCALATION, f"task:{blocked.pk}", head.username, d(6, 9))}


def test_a_blocked_hand_off_escalates_to_both_heads(department, other_department, owner, head, other_head):
    waited_on = factories.TaskFactory(department=other_department, due_date=d(5, 20))
    blocked = factories.TaskFactory(
        department=department,
        owner=owner,
        due_date=d(9, 30),
        status=Task.Status.BLOCKED,
        status_changed_at=dt.datetime(2026, 6, 1, 10, tzinfo=UTC),
    )
    blocked.depends_on.add(waited_on)
    found = {row for row in sweep(2026, 6, 9, 12) if row[1] == f"task:{blocked.pk}"}
    assert found == {
        (K.HANDOFF_ESCALATION, f"task:{blocked.pk}", head.username, d(6, 9)),
        (K.HANDOFF_ESCALATION, f"task:{blocked.pk}", other_head.username, d(6, 9)),
    }


def test_a_task_without_an_owner_reminds_the_department_head(department, head):
    task = factories.TaskFactory(department=department, owner=None, due_date=d(6, 4))
    assert sweep(2026, 6, 1, 12) == {(K.DUE_SOON, f"task:{task.pk}", head.username, d(6, 1))}


def test_an_inactive_owner_gets_nothing_and_the_head_is_reminded(department, head):
    gone = factories.TaskOwnerFactory(username="gone", is_active=False)
    task = factories.TaskFactory(department=department, owner=gone, due_date=d(6, 4))
    assert sweep(2026, 6, 1, 12) == {(K.DUE_SOON, f"task:{task.pk}", head.username, d(6, 1))}


def test_an_inactive_head_gets_no_escalation(department, task, head):
    head.is_active = False
    head.save()
    assert sweep(2026, 6, 12, 12) == set()  # eight days late: the head's escalation day, the owner's quiet day


def test_owners_in_utc_minus_10_and_utc_plus_13_are_reminded_on_their_own_dates(department):
    honolulu = user_in("Pacific/Honolulu", "honolulu")
    tonga = user_in("Pacific/Tongatapu", "tonga")
    early = factories.TaskFactory(department=department, owner=tonga, due_date=d(7, 1))
    late = factories.TaskFactory(department=department, owner=honolulu, due_date=d(7, 1))
    # 29 June 20:00 UTC: 30 June 09:00 in Tonga (due tomorrow), 29 June 10:00 in Honolulu (in two days).
    assert sweep(2026, 6, 29, 20) == {(K.DUE_SOON, f"task:{early.pk}", "tonga", d(6, 30))}
    # 30 June 11:00 UTC: 30 June 01:00 in Honolulu (due tomorrow), 1 July 00:00 in Tonga (due today).
    assert sweep(2026, 6, 30, 11) == {(K.DUE_SOON, f"task:{late.pk}", "honolulu", d(6, 30))}
    # 1 July 11:00 UTC: 2 July in Tonga (one day overdue), still 1 July in Honolulu (due today, not late).
    assert sweep(2026, 7, 1, 11) == {(K.OVERDUE, f"task:{early.pk}", "tonga", d(7, 2))}
    assert sweep(2026, 7, 2, 10) == {(K.OVERDUE, f"task:{late.pk}", "honolulu", d(7, 2))}


def test_owners_in_utc_minus_10_and_utc_plus_13_get_their_due_today_reminder_on_their_own_date(department):
    ReminderSettings.objects.update_or_create(pk=1, defaults={"due_soon_days": "1", "remind_on_due_date": True})
    honolulu = user_in("Pacific/Honolulu", "honolulu")
    tonga = user_in("Pacific/Tongatapu", "tonga")
    early = factories.TaskFactory(department=department, owner=tonga, due_date=d(7, 1))
    late = factories.TaskFactory(department=department, owner=honolulu, due_date=d(7, 1))
    sweep(2026, 6, 29, 20)  # the one-day reminders: 30 June in Tonga ...
    sweep(2026, 6, 30, 10, 30)  # ... and in Honolulu (00:30; Tonga is still at 23:30 on 30 June)
    # 30 June 11:05 UTC: 1 July 00:05 in Tonga (due today), 30 June 01:05 in Honolulu (tomorrow).
    assert sweep(2026, 6, 30, 11, 5) == {(K.DUE_SOON, f"task:{early.pk}", "tonga", d(7, 1))}
    # 1 July 10:05 UTC: 1 July 00:05 in Honolulu (due today), 1 July 23:05 in Tonga (already told).
    assert sweep(2026, 7, 1, 10, 5) == {(K.DUE_SOON, f"task:{late.pk}", "honolulu", d(7, 1))}
    # 1 July 23:00 UTC: 2 July in Tonga (one day overdue), still 1 July in Honolulu (nothing new).
    assert sweep(2026, 7, 1, 23) == {(K.OVERDUE, f"task:{early.pk}", "tonga", d(7, 2))}


def test_the_due_today_reminder_says_so(department, owner):
    ReminderSettings.objects.update_or_create(pk=1, defaults={"remind_on_due_date": True})
    task = factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4))
    assert sweep(2026, 6, 4, 12) == {(K.DUE_SOON, f"task:{task.pk}", "owner", d(6, 4))}
    messages_deliver(message_ids=list(Message.objects.values_list("id", flat=True)))
    (email,) = mail.outbox
    assert "This task is due today." in email.body
    assert "due <strong>today</strong>" in email.alternatives[0].content


def test_without_the_due_today_switch_the_due_date_itself_is_quiet(department, owner):
    factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4))
    assert sweep(2026, 6, 4, 12) == set()


def test_users_without_a_profile_or_zone_use_the_organisation_zone(department, owner, settings):
    settings.TIME_ZONE = "Pacific/Honolulu"
    task = factories.TaskFactory(department=department, owner=owner, due_date=d(6, 4))
    assert sweep(2026, 6, 1, 9) == set()  # 31 May 23:00 in Honolulu: four days before
    assert sweep(2026, 6, 1, 11) == {(K.DUE_SOON, f"task:{task.pk}", "owner", d(6, 1))}


@pytest.mark.parametrize("tasks", [3, 30])
def test_the_sweep_makes_the_same_number_of_queries_for_3_or_30_tasks(department, django_assert_num_queries, tasks):
    owners = [user_in("Pacific/Apia", f"apia{i}") for i in range(3)]
    for i in range(tasks):
        factories.TaskFactory(department=department, owner=owners[i % 3], due_date=d(6, 1 + i % 5))
    # 17: the task rules, one for the slips waiting for a head, and the recent proposal decisions
    # and the quarter's losses by reason.
    with django_assert_num_queries(17):
        sweep(2026, 6, 3, 12)


def test_a_slip_waiting_for_the_head_tells_the_head_once_with_the_reason(department, owner):
    task = factories.TaskFactory(department=department, owner=owner, due_date=d(6, 30), status="in_progress")
    slip = factories.SlipFactory(task=task, moved_at=dt.datetime(2026, 6, 1, 9, tzinfo=UTC), reason="Vendor late.")
    factories.SlipFactory(status="approved", task=factories.TaskFactory(department=department, status="in_progress"))

    head = department.head.username
    assert sweep(2026, 6, 1, 12) == {(K.SLIP_APPROVAL, f"task:{task.pk}", head, d(6, 1))}
    assert sweep(2026, 6, 1, 13) == set()
    assert sweep(2026, 6, 2, 12) == set()

    messages_deliver(message_ids=list(Message.objects.values_list("id", flat=True)))
    (email,) = mail.outbox
    assert email.to == [department.head.email]
    assert email.subject == f"Slip waiting for you: {task.title} ({department.name})"
    assert "from 2026-06-30 to 2026-07-30 (30 days). Reason: Vendor late." in email.body
    assert "/admin/roadmap/slip/?status__exact=pending" in email.body
    assert slip.status == "pending"
