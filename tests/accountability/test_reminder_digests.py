"""Weekly digests: who gets them, when, and what they say; opting out stops digests, not escalations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import Message, Recognition
from accountability.reminders.delivery import messages_deliver
from customers.models import CustomerMovement
from roadmap.models import Health, Task
from tests import factories
from tests.accountability.reminder_helpers import d, sweep, user_in

K = Message.Kind
MONDAY_9_LONDON = (2026, 6, 1, 8)  # 1 June 2026 is a Monday; 09:00 in London (BST)


@pytest.fixture
def week(department, other_department, owner, head):
    """A department with an overdue task, an at-risk one, a metric off target and two lost customers."""
    factories.TaskFactory(department=department, owner=owner, title="Fix the refund queue", due_date=d(5, 20))
    risky = factories.TaskFactory(department=department, owner=owner, title="Launch the callback", due_date=d(6, 4))
    factories.CheckInFactory(task=risky, confidence=Health.RED, date=d(5, 30))
    factories.TaskFactory(department=other_department, due_date=d(9, 1), status=Task.Status.BLOCKED)
    metric = factories.MetricFactory(code="first-contact-resolution", name="First-contact resolution")
    factories.TargetFactory(
        metric=metric,
        department=department,
        period_kind="quarter",
        period_start=d(4, 1),
        target_value=Decimal(80),
        amber_threshold=Decimal(70),
    )
    factories.ReadingFactory(metric=metric, department=department, date=d(5, 15), value=Decimal(65))
    reason = factories.LossReasonFactory(name="Service failure")
    factories.CustomerMovementFactory(
        department=department, kind=CustomerMovement.Kind.LOST, count=2, date=d(5, 29), loss_reason=reason
    )


def test_heads_and_cco_staff_get_digests_on_the_digest_day_from_the_digest_hour(week, head, other_head, cco_staff):
    assert sweep(2026, 6, 1, 6, digests=True) == set()  # 07:00 in London: before the hour
    found = sweep(*MONDAY_9_LONDON, digests=True)
    assert {(kind, user) for kind, _, user, _ in found} >= {
        (K.HEAD_DIGEST, head.username),
        (K.HEAD_DIGEST, other_head.username),
        (K.CCO_DIGEST, cco_staff.username),
    }
    assert {kind for kind, *_ in found} == {K.HEAD_DIGEST, K.CCO_DIGEST}
    assert sweep(2026, 6, 1, 15, digests=True) == set()  # once a week
    assert sweep(2026, 6, 2, 8, digests=True) == set()  # Tuesday


def test_a_head_who_opted_out_gets_no_digest_but_still_gets_escalations(week, department, head):
    factories.ProfileFactory(user=head, receive_digests=False)
    assert not any(user == head.username for _, _, user, _ in sweep(*MONDAY_9_LONDON, digests=True))
    escalations = sweep(2026, 5, 28, 12)  # the refund task is eight days late
    assert any(kind == K.ESCALATION and user == head.username for kind, _, user, _ in escalations)


def test_inactive_staff_get_no_digest(week, cco_staff):
    cco_staff.is_active = False
    cco_staff.save()
    found = sweep(*MONDAY_9_LONDON, digests=True)
    assert any(kind == K.CCO_DIGEST for kind, *_ in found)  # the initiative owners are CCO staff too
    assert not any(user == cco_staff.username for _, _, user, _ in found)


def test_digests_follow_the_recipient_time_zone(department):
    apia = user_in("Pacific/Apia", "apia-head")
    department.head = apia
    department.save()
    # Sunday 31 May 19:00 UTC is Monday 1 June 08:00 in Apia (UTC+13).
    expected = {(K.HEAD_DIGEST, f"department:{department.pk}", "apia-head", d(6, 1))}
    assert sweep(2026, 5, 31, 19, digests=True) == expected


def test_the_head_digest_lists_overdue_and_at_risk_tasks_metrics_off_target_and_losses(week, head):
    sweep(*MONDAY_9_LONDON, digests=True)
    message = Message.objects.get(kind=K.HEAD_DIGEST, recipient=head)
    messages_deliver(message_ids=[message.pk])
    (email,) = mail.outbox
    assert email.to == [head.email]
    for text in ("Fix the refund queue", "12 days late", "Launch the callback", "First-contact resolution"):
        assert text in email.body
    assert "Service failure: 2" in email.body
    html = email.alternatives[0].content
    assert "Fix the refund queue" in html and "http://" in html


def test_the_cco_digest_puts_the_worst_department_first(week, department, other_department, cco_staff):
    sweep(*MONDAY_9_LONDON, digests=True)
    message = Message.objects.get(kind=K.CCO_DIGEST, recipient=cco_staff)
    messages_deliver(message_ids=[message.pk])
    (email,) = mail.outbox
    worst, better = f"- {department.name}: 1 overdue", f"- {other_department.name}: 0 overdue"
    assert email.body.index(worst) < email.body.index(better)


def test_rendering_a_digest_takes_the_same_queries_for_few_or_many_tasks(week, department, head):
    sweep(*MONDAY_9_LONDON, digests=True)
    message = Message.objects.get(kind=K.HEAD_DIGEST, recipient=head)
    Message.objects.exclude(pk=message.pk).delete()
    counts = []
    for extra in (0, 20):
        for _ in range(extra):
            factories.TaskFactory(department=department, due_date=d(5, 1), initiative=Task.objects.first().initiative)
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PENDING)
        with CaptureQueriesContext(connection) as captured:
            messages_deliver(message_ids=[message.pk])
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert dt.date(2026, 6, 1) == message.for_date


@pytest.mark.parametrize("staff", [2, 6])
def test_a_batch_of_cco_digests_builds_the_digest_once(
    week, department, django_assert_num_queries, staff, sent_journal
):
    for i in range(staff):
        factories.CCOStaffFactory(username=f"cco{i}")
    sweep(*MONDAY_9_LONDON, digests=True)
    ids = list(Message.objects.filter(kind=K.CCO_DIGEST).values_list("id", flat=True))
    assert len(ids) >= staff  # and the initiatives' owners, who are CCO staff too
    # Claim, read, write, and the digest's own seven reads (four, and three for the quarter's top loss
    # reasons with their work), whatever the number of CCO staff (with the database journal, one
    # more short write per message sent).
    with django_assert_num_queries(10):
        messages_deliver(message_ids=ids)
    bodies = {email.body.split("\n", 1)[1] for email in mail.outbox}  # the same digest after the greeting
    assert len(mail.outbox) == len(ids) and len(bodies) == 1


def _recognition(day: dt.date, **kwargs):
    recognition = factories.RecognitionFactory(**kwargs)
    Recognition.objects.filter(pk=recognition.pk).update(
        created_at=dt.datetime(*day.timetuple()[:3], 12, tzinfo=dt.UTC)
    )
    return recognition


def test_the_head_digest_shows_the_weeks_recognitions_of_the_departments_people_and_tasks(
    week, department, other_department, owner, head
):
    task = Task.objects.get(title="Fix the refund queue")
    outsider = factories.TaskOwnerFactory(first_name="Olga", last_name="Outside")
    _recognition(d(5, 29), recipient=owner, giver=head, task=task, note="Calmed the Acme escalation.")
    _recognition(d(5, 26), recipient=outsider, task=task, note="Lent us a hand on the refunds.")  # our task
    _recognition(d(5, 25), recipient=owner, task=task, note="Older than a week.")
    _recognition(
        d(5, 30), recipient=outsider, task=factories.TaskFactory(department=other_department), note="Billing's."
    )
    sweep(*MONDAY_9_LONDON, digests=True)
    message = Message.objects.get(kind=K.HEAD_DIGEST, recipient=head)
    messages_deliver(message_ids=[message.pk])
    (email,) = mail.outbox
    assert "Recognitions this week (2):" in email.body
    assert "Calmed the Acme escalation." in email.body and "Olga Outside, thanked by" in email.body
    assert "Older than a week." not in email.body and "Billing's." not in email.body
    html = email.alternatives[0].content
    assert "Calmed the Acme escalation." in html and "Recognitions this week (2)" in html


def test_a_digest_with_many_recognitions_takes_the_same_queries(week, department, owner, head):
    sweep(*MONDAY_9_LONDON, digests=True)
    message = Message.objects.get(kind=K.HEAD_DIGEST, recipient=head)
    Message.objects.exclude(pk=message.pk).delete()
    task = Task.objects.get(title="Fix the refund queue")
    counts = []
    for extra in (1, 15):
        for _ in range(extra):
            _recognition(d(5, 30), recipient=owner, task=task)
        Message.objects.filter(pk=message.pk).update(status=Message.Status.PENDING)
        with CaptureQueriesContext(connection) as captured:
            messages_deliver(message_ids=[message.pk])
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert "Recognitions this week (16)" in mail.outbox[-1].body
