"""The meeting pack's long lists: which hand-offs were late, and the company's "did not move".

Today is 20 May 2026 (Europe/London, summer time), the pack is for 2026-Q2. Service's tasks are
due in April, each waited on by a Billing task. A hand-off done on its due date late in the
evening is on time; one done after midnight is a day late; one still open past its date is
late, one not yet due or cancelled is not. Only the first
SHOWN late ones (by due date) are listed and loaded.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.periods import Period
from review.meeting_pack import company_sections
from review.selectors import meeting_pack
from review.selectors.meeting_pack import meeting_pack_company_get, meeting_pack_department_get
from roadmap.models import Initiative, Task
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")
Q2 = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _hand_off(department, other_department, title, due, *, status=Task.Status.IN_PROGRESS, completed_at=None):
    awaited = factories.TaskFactory(title=title, department=department, due_date=due, status=status)
    if completed_at:
        Task.objects.filter(pk=awaited.pk).update(completed_at=completed_at)
    waiting = factories.TaskFactory(title=f"Waits on {title}", department=other_department)
    waiting.depends_on.add(awaited)


@pytest.fixture
def hand_offs(department, other_department):
    done = Task.Status.DONE
    april = [dt.date(2026, 4, day) for day in range(1, 8)]
    _hand_off(
        department,
        other_department,
        "On time, late evening",
        april[0],
        status=done,
        completed_at=dt.datetime(2026, 4, 1, 23, 30, tzinfo=LONDON),
    )
    _hand_off(
        department,
        other_department,
        "A day late",
        april[1],
        status=done,
        completed_at=dt.datetime(2026, 4, 3, 0, 30, tzinfo=LONDON),
    )
    _hand_off(department, other_department, "Open, overdue", april[3])
    _hand_off(department, other_department, "Open, overdue too", april[4])
    _hand_off(department, other_department, "Cancelled", april[5], status=Task.Status.CANCELLED)
    _hand_off(department, other_department, "Not due yet", dt.date(2026, 6, 20))
    _hand_off(department, other_department, "Open, overdue, third", april[6])


def _late(department, executive):
    pack = meeting_pack_department_get(department=department, period=Period.parse("2026-Q2"), user=executive)
    return [
        (h.awaited.title, h.waiting.title, h.waiting.department.name, h.days_late, h.open) for h in pack.late_hand_offs
    ]


def test_late_hand_offs_are_those_done_after_their_local_due_date_or_open_past_it(hand_offs, department, executive):
    assert _late(department, executive) == [
        ("A day late", "Waits on A day late", "Billing", 1, False),
        ("Open, overdue", "Waits on Open, overdue", "Billing", 46, True),
        ("Open, overdue too", "Waits on Open, overdue too", "Billing", 45, True),
        ("Open, overdue, third", "Waits on Open, overdue, third", "Billing", 43, True),
    ]


def test_only_the_first_shown_late_hand_offs_are_listed(hand_offs, department, executive, monkeypatch):
    monkeypatch.setattr(meeting_pack, "SHOWN", 2)
    assert [row[0] for row in _late(department, executive)] == ["A day late", "Open, overdue"]


def _flat(owner, complaints, day: int) -> None:
    """Finished on 2026-03-<day>: complaints 5 in 2025-Q4 and 6 in 2026-Q2, higher than before."""
    initiative = factories.InitiativeFactory(
        title=f"Flat {day:02}",
        status=Initiative.Status.DONE,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 3, day),
        owner=owner,
    )
    factories.InitiativeExpectationFactory(initiative=initiative, metric=complaints, expected_value=3, by_date=Q2)


def test_the_company_pack_lists_the_latest_that_did_not_move_and_counts_them_all(
    client, executive, department, owner, monkeypatch
):
    complaints = factories.MetricFactory(code="complaints", name="Complaints", direction="lower", level="company")
    factories.ReadingFactory(metric=complaints, department=None, date=dt.date(2025, 11, 1), value=5)
    factories.ReadingFactory(metric=complaints, department=None, date=dt.date(2026, 5, 1), value=6)
    for day in range(1, 6):
        _flat(owner, complaints, day)
    monkeypatch.setattr(meeting_pack, "SHOWN", 3)
    pack = meeting_pack_company_get(period=Period.parse("2026-Q2"))
    assert ([f.initiative.title for f in pack.did_not_move], pack.did_not_move_count) == (
        ["Flat 05", "Flat 04", "Flat 03"],
        5,
    )
    section = next(s for s in company_sections(pack=pack) if s.key == "did-not-move")
    assert section.summary == (
        "5 finished initiatives whose metrics did not move. The 3 that ended last are listed; "
        "each initiative's timeline shows its follow-through."
    )
    assert [row[0] for row in section.rows] == ["Flat 05", "Flat 04", "Flat 03"]
    client.force_login(executive)
    page = client.get(reverse("admin:review_meeting_pack") + "?period=2026-Q2").content.decode()
    assert "The 3 that ended last are listed" in page and "Flat 02" not in page


def test_with_few_the_company_pack_lists_them_all_without_a_note(owner):
    complaints = factories.MetricFactory(code="complaints", name="Complaints", direction="lower", level="company")
    factories.ReadingFactory(metric=complaints, department=None, date=dt.date(2025, 11, 1), value=5)
    factories.ReadingFactory(metric=complaints, department=None, date=dt.date(2026, 5, 1), value=6)
    _flat(owner, complaints, 1)
    section = next(
        s
        for s in company_sections(pack=meeting_pack_company_get(period=Period.parse("2026-Q2")))
        if s.key == "did-not-move"
    )
    assert section.summary == "1 finished initiative whose metrics did not move."
