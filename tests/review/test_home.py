"""The home page (the admin index): each person's work, linked, in a fixed number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Message
from roadmap.models import Slip
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)
HOME = reverse("admin:index")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def task(department, owner=None, **fields):
    fields.setdefault("status", "in_progress")
    return factories.TaskFactory(department=department, owner=owner, **fields)


@pytest.fixture
def work(department, other_department, owner, head, other_head):
    """The owner's tasks in every state; a hand-off each way; an escalation; a recognition; a slip."""
    late = task(department, owner, title="Refund backlog", due_date=dt.date(2026, 5, 10))
    soon = task(department, owner, title="Call list", due_date=dt.date(2026, 5, 25), status="not_started")
    later = task(department, owner, title="Survey", due_date=dt.date(2026, 9, 1), status="blocked")
    quiet = task(department, owner, title="Quiet work", due_date=dt.date(2026, 8, 1),
                 status_changed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))  # fmt: skip
    factories.CheckInFactory(task=quiet, date=dt.date(2026, 5, 2))
    task(department, owner, title="Done already", status="done", due_date=dt.date(2026, 5, 1))
    task(department, head, title="Head work", due_date=dt.date(2026, 5, 21))
    waiting = task(other_department, other_head, title="Ship the billing fix", due_date=dt.date(2026, 6, 1))
    waiting.depends_on.add(late)  # Billing waits on the owner's overdue task
    awaited = task(other_department, other_head, title="Legal review", due_date=dt.date(2026, 5, 12))
    later.depends_on.add(awaited)  # the owner waits on Legal's late task
    factories.SlipFactory(task=soon, reason="Vendor late.", moved_by=owner)
    Message.objects.create(
        kind="escalation", task=late, subject_key=f"task:{late.pk}", recipient=head, for_date=dt.date(2026, 5, 19)
    )
    factories.RecognitionFactory(giver=head, recipient=owner, task=late, note="Saved the Acme account.")
    return {"late": late, "soon": soon, "later": later, "quiet": quiet, "waiting": waiting, "awaited": awaited}


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def link(t) -> str:
    return reverse("admin:roadmap_task_change", args=[t.pk])


def test_an_owner_sees_their_open_tasks_overdue_first_then_this_week(client, owner, work):
    html = page(client, owner)
    mine = html[html.index('id="my-tasks"') : html.index('id="check-ins-owed"')]
    titles = ["Refund backlog", "Call list", "Quiet work", "Survey"]
    assert [mine.index(t) for t in titles] == sorted(mine.index(t) for t in titles)
    assert "2026-05-10 (overdue)" in mine and "2026-05-25 (this week)" in mine
    assert "Done already" not in html and "Head work" not in mine
    assert all(link(work[k]) in mine for k in ("late", "soon", "later", "quiet"))
    assert 'id="count-overdue" class="overdue">1 overdue</a>' in html
    assert f'href="{reverse("admin:roadmap_task_changelist")}?show=overdue"' in html


def test_an_owner_sees_the_check_ins_they_owe_and_who_waits_on_them(client, owner, work):
    html = page(client, owner)
    owed = html[html.index('id="check-ins-owed"') : html.index('id="hand-offs-i-block"')]
    assert "Quiet work" in owed and "Refund backlog" not in owed  # started today-ish: not a week quiet yet
    blocking = html[html.index('id="hand-offs-i-block"') : html.index('id="hand-offs-i-wait-on"')]
    assert "Refund backlog" in blocking and "late" in blocking
    # Who waits: Billing's task, named, but not linked: the owner may not open another department's task.
    assert "Ship the billing fix" in blocking and link(work["waiting"]) not in blocking
    waiting_on = html[html.index('id="hand-offs-i-wait-on"') : html.index('id="escalations"')]
    assert "Legal review" in waiting_on and "Survey" in waiting_on


def test_an_owner_sees_escalations_about_their_tasks_and_recognitions_received(client, owner, work):
    html = page(client, owner)
    assert "Escalation to" in html and "2026-05-19" in html
    assert "Saved the Acme account." in html


def test_a_head_sees_their_departments_work_and_the_slips_to_decide(client, head, work):
    html = page(client, head)
    assert "Head work" in html and "Refund backlog" in html
    decide = html[html.index('id="slips-to-decide"') : html.index('id="my-tasks"')]
    assert "Call list" in decide and "Vendor late." in decide
    assert reverse("admin:review_slip_decide", args=[Slip.objects.get().pk]) in decide
    # Billing's head sees, from the other side, that their task waits on Service's.
    billing = page(client, work["waiting"].owner)
    waits = billing[billing.index('id="hand-offs-i-wait-on"') :]
    assert "Ship the billing fix" in waits and "Refund backlog" in waits


def test_the_head_approves_a_slip_from_the_home_page(client, head, work):
    slip = Slip.objects.get()
    client.force_login(head)
    response = client.post(reverse("admin:review_slip_decide", args=[slip.pk]), {"decision": "approve"}, follow=True)
    assert "Slip approved: Call list is now due 2026-06-24." in response.content.decode()
    work["soon"].refresh_from_db()
    assert work["soon"].due_date == dt.date(2026, 6, 24)


@pytest.mark.parametrize("who", ["owner", "other_head", "executive"])
def test_someone_else_cannot_decide_the_slip_from_the_home_page(client, request, work, who):
    slip = Slip.objects.get()
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("admin:review_slip_decide", args=[slip.pk]), {"decision": "approve"}, follow=True)
    if response.status_code == 200:
        assert "Only the head of" in response.content.decode()
    else:
        assert response.status_code == 404  # a slip of a task they may not see
    slip.refresh_from_db()
    work["soon"].refresh_from_db()
    assert slip.status == "pending" and work["soon"].due_date == dt.date(2026, 5, 25)


def test_a_decision_that_is_neither_is_refused(client, head, work):
    client.force_login(head)
    url = reverse("admin:review_slip_decide", args=[Slip.objects.get().pk])
    assert "approve or to refuse" in client.post(url, {"decision": "maybe"}, follow=True).content.decode()
    assert client.get(url).status_code == 405
    assert Slip.objects.get().status == "pending"


def grow(department, other_department, owner, other_owner, n: int) -> None:
    """n more of everything the home page lists: tasks, hand-offs, check-ins, escalations, recognitions, slips."""
    for i in range(n):
        mine = task(department, owner, due_date=dt.date(2026, 5, 1 + i % 28))
        theirs = task(other_department, other_owner, due_date=dt.date(2026, 6, 1 + i % 28))
        theirs.depends_on.add(mine)
        mine2 = task(department, owner, due_date=dt.date(2026, 7, 1 + i % 28))
        mine2.depends_on.add(theirs)
        factories.CheckInFactory(task=mine, date=dt.date(2026, 5, 1))
        Message.objects.create(kind="escalation", task=mine, subject_key=f"task:{mine.pk}",
                               recipient=department.head, for_date=dt.date(2026, 5, 19))  # fmt: skip
        factories.RecognitionFactory(giver=other_owner, recipient=owner, task=mine)
        factories.SlipFactory(task=mine2, moved_by=owner)


# Session, user, groups, headed and member departments, the sections (tasks, two hand-off lists,
# escalations, recognitions; slips for a head), proposals sent back (and, for CCO staff, those
# waiting), the header's unread count, the index's app list.
HOME_QUERIES = {"owner": 15, "head": 16, "executive": 14, "cco_staff": 17}


@pytest.mark.parametrize("role", HOME_QUERIES)
def test_the_home_page_takes_the_same_queries_at_two_data_sizes(client, request, department, other_department, role):
    owner = request.getfixturevalue("owner")
    other_owner = factories.TaskOwnerFactory()
    other_department.members.add(other_owner)
    user = request.getfixturevalue(role)
    client.force_login(user)
    counts = []
    for n in (2, 20):
        grow(department, other_department, owner, other_owner, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        counts.append(len(queries))
    assert counts == [HOME_QUERIES[role]] * 2
