"""Notifications in the app: every message kind in its recipient's list, rendered as emailed, read or unread."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import Message, ReminderSettings
from accountability.reminders.render import message_render
from roadmap.models import InitiativeDecision
from tests import factories

pytestmark = pytest.mark.django_db
K = Message.Kind
LIST = reverse("admin:review_notifications")


def one(kind, recipient, *, task=None, department=None, for_date=dt.date(2026, 6, 1)):
    key = f"task:{task.pk}" if task else f"department:{department.pk}" if department else "company"
    return Message.objects.create(
        kind=kind, task=task, department=department, subject_key=key, recipient=recipient, for_date=for_date
    )


@pytest.fixture
def every_kind(department, owner, head, cco_staff):
    task = factories.TaskFactory(department=department, owner=owner, title="Refund backlog", status="in_progress")
    factories.SlipFactory(task=task, reason="Vendor late.")
    made = {kind: one(kind, owner, task=task) for kind in (K.DUE_SOON, K.OVERDUE, K.STALE, K.NUDGE)}
    made |= {kind: one(kind, head, task=task) for kind in (K.ESCALATION, K.HANDOFF_ESCALATION, K.SLIP_APPROVAL)}
    made[K.HEAD_DIGEST] = one(K.HEAD_DIGEST, head, department=department)
    made[K.CCO_DIGEST] = one(K.CCO_DIGEST, cco_staff)
    # Messages about neither a task nor a department: a proposal's decision, a loss reason, a task force.
    initiative = factories.InitiativeFactory(
        title="Bills customers understand", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    decision = InitiativeDecision.objects.create(
        initiative=initiative, action="approved", by=cco_staff, proposer=head, at=timezone.now()
    )
    reason = factories.LossReasonFactory(name="Billing error")
    for kind, recipient, key in (
        (K.PROPOSAL_DECISION, head, f"decision:{decision.pk}"),
        (K.LOSS_REASON_ALERT, cco_staff, f"loss_reason:{reason.pk}"),
        (K.FADE, cco_staff, f"initiative:{initiative.pk}"),
    ):
        made[kind] = Message.objects.create(
            kind=kind, subject_key=key, recipient=recipient, for_date=dt.date(2026, 6, 1)
        )
    return made


# Their subject needs their whole context, so the list names their kind; the page renders them whole.
LISTED_BY_KIND = {K.PROPOSAL_DECISION, K.LOSS_REASON_ALERT, K.FADE}


def test_every_message_kind_is_a_notification_of_its_recipient_rendered_as_emailed(client, request, every_kind):
    assert set(every_kind) == set(K)  # a new kind must be added here
    for kind, message in every_kind.items():
        client.force_login(message.recipient)
        listed = client.get(LIST).content.decode()
        subject, _text, html = message_render(message=message)
        shown = message.get_kind_display() if kind in LISTED_BY_KIND else subject
        assert shown.replace("'", "&#x27;") in listed, kind
        page = client.get(reverse("admin:review_notification", args=[message.pk])).content.decode()
        body = html[html.index("<body>") + len("<body>") : html.index("</body>")]
        assert body.strip() in page, kind


def test_opening_a_notification_marks_it_read_and_the_header_counts_the_unread(client, owner, every_kind):
    client.force_login(owner)
    index = client.get(reverse("admin:index")).content.decode()
    assert '<span id="unread-count"' in index and ">4</span>" in index
    due_soon = every_kind[K.DUE_SOON]
    client.get(reverse("admin:review_notification", args=[due_soon.pk]))
    due_soon.refresh_from_db()
    assert due_soon.read_at is not None
    listed = client.get(LIST).content.decode()
    assert ">3</span>" in listed and listed.count('class="unread"') == 3 and listed.count('class="read"') == 1


def test_mark_all_read_clears_the_count(client, owner, every_kind):
    client.force_login(owner)
    response = client.post(reverse("admin:review_notifications_read"), follow=True)
    assert "4 notification(s) marked read." in response.content.decode()
    assert 'id="unread-count"' not in response.content.decode()
    assert not Message.objects.filter(recipient=owner, read_at__isnull=True).exists()


@pytest.mark.parametrize("who", ["head", "executive", "cco_staff"])
def test_a_notification_that_is_not_yours_is_refused_and_left_unread(client, request, every_kind, who):
    due_soon = every_kind[K.DUE_SOON]  # the owner's
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:review_notification", args=[due_soon.pk]))
    assert response.status_code == 403
    assert "addressed to someone else" in response.content.decode()
    assert "Refund backlog" not in response.content.decode()
    due_soon.refresh_from_db()
    assert due_soon.read_at is None


def test_an_unknown_notification_is_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("admin:review_notification", args=[999999])).status_code == 404


def test_the_list_takes_the_same_queries_with_3_or_30_notifications(client, department, owner):
    client.force_login(owner)
    counts = []
    for n in (3, 30):
        for _ in range(n - sum(1 for _ in Message.objects.filter(recipient=owner))):
            one(K.OVERDUE, owner, task=factories.TaskFactory(department=department, owner=owner))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_messages_admin_page_shows_the_email(client, cco_staff, every_kind):
    client.force_login(cco_staff)
    message = every_kind[K.SLIP_APPROVAL]
    page = client.get(reverse("admin:accountability_message_change", args=[message.pk])).content.decode()
    assert "Slip waiting for you: Refund backlog" in page and "Vendor late." in page


def test_reminder_settings_exist_with_their_defaults_and_cco_staff_change_them(client, cco_staff, executive):
    client.force_login(executive)
    shown = client.get(reverse("admin:accountability_remindersettings_changelist"), follow=True)
    assert shown.status_code == 200 and "3,1" in shown.content.decode()
    row = ReminderSettings.objects.get()
    url = reverse("admin:accountability_remindersettings_change", args=[row.pk])
    assert client.post(url, {"due_soon_days": "5"}).status_code == 403
    client.force_login(cco_staff)
    data = {"due_soon_days": "5,2", "overdue_daily_days": 7, "overdue_repeat_days": 7, "stale_days": 14}
    data |= {"escalation_days": 7, "digest_weekday": 0, "digest_hour": 8, "batch_size": 100}
    assert client.post(url, data).status_code == 302
    assert ReminderSettings.objects.get().due_soon_days == "5,2"
