"""The department scorecard's participation line, worked out by hand (DOMAIN: Pledge, participation)."""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests import factories
from tests.accountability.scorecard_data import line, local, tasks

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")
NOW = local(dt.date(2026, 3, 20))


@pytest.fixture
def force(department, other_department):
    """Service pledges Ann and Bob to A (all year), Ann to B (15 to 28 February), Bob to C (cancelled).

    Pledge-months of Service in Q1 to 20 March: A Ann Jan, Feb, Mar; A Bob Jan, Feb, Mar; B Ann Feb = 7.
    Taken part: Ann checks in on A twice in January (one month), attends A's meeting in March, B's in
    February: 3. Bob checked in on A in December (before the period) and on C in February (cancelled): 0.
    Billing pledges Cy to A, who attends the January meeting only: 1 of 3 months, Billing's, not Service's.
    """
    ann, bob, cy = (factories.TaskOwnerFactory(username=name) for name in ("ann", "bob", "cy"))
    department.members.add(ann, bob)
    other_department.members.add(cy)
    a = factories.InitiativeFactory(title="A", start_date=dt.date(2025, 11, 1), end_date=dt.date(2026, 12, 31))
    b = factories.InitiativeFactory(title="B", start_date=dt.date(2026, 2, 15), end_date=dt.date(2026, 2, 28))
    c = factories.InitiativeFactory(title="C", status="cancelled")
    for initiative, person, dept in ((a, ann, department), (a, bob, department), (b, ann, department)):
        factories.PledgeFactory(initiative=initiative, department=dept, person=person)
    factories.PledgeFactory(initiative=c, department=department, person=bob)
    factories.PledgeFactory(initiative=a, department=other_department, person=cy)
    task_a = factories.TaskFactory(initiative=a, department=department, due_date=dt.date(2026, 6, 30))
    task_c = factories.TaskFactory(initiative=c, department=department, due_date=dt.date(2026, 6, 30))
    factories.CheckInFactory(task=task_a, author=ann, date=dt.date(2026, 1, 8))
    factories.CheckInFactory(task=task_a, author=ann, date=dt.date(2026, 1, 22))
    factories.CheckInFactory(task=task_a, author=bob, date=dt.date(2025, 12, 20))
    factories.CheckInFactory(task=task_c, author=bob, date=dt.date(2026, 2, 3))
    factories.MeetingFactory(initiative=a, date=dt.date(2026, 1, 12), attendees=[cy])
    factories.MeetingFactory(initiative=a, date=dt.date(2026, 3, 2), attendees=[ann])
    factories.MeetingFactory(initiative=b, date=dt.date(2026, 2, 20), attendees=[ann])
    return a, b


def _participation(period, department):
    card = scorecard_compute(period=period, scope="department", department=department, now=NOW)
    return card, line(card, "Participation")


def test_the_departments_participation_is_its_pledge_months_taken_part_in(force, department, other_department):
    _card, service = _participation(Q1, department)
    assert service.value == Decimal("0.4286")  # 3 / 7
    assert service.inputs == {"pledges": 3, "pledge_months": 7, "took_part": 3, "participation_rate": "0.4286"}
    assert "taken part in (a check-in, a task edit or a meeting attended) 3 / pledge-months 7 = 0.4286" in (
        service.explanation
    )
    assert service.score is None and service.weight is None

    _card, billing = _participation(Q1, other_department)
    assert (billing.value, billing.inputs["took_part"], billing.inputs["pledge_months"]) == (Decimal("0.3333"), 1, 3)


def test_a_months_participation_is_the_domains_participation(force, department):
    _card, february = _participation(Period.parse("2026-02"), department)
    # A: Ann, Bob; B: Ann. Only Ann at B's meeting took part.
    assert (february.inputs["took_part"], february.inputs["pledge_months"]) == (1, 3)
    assert february.value == Decimal("0.3333")


def test_participation_is_not_part_of_the_overall_score(force, department):
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 1, 30))
    card, participation = _participation(Q1, department)
    assert participation.value == Decimal("0.4286")
    assert card.delivery_score == Decimal(100)
    assert card.overall_score == Decimal(100)  # delivery alone: participation at 43 % moves nothing
    assert "Participation" not in line(card, "Overall").explanation


def test_a_department_without_pledges_has_a_participation_line_without_a_figure(department):
    tasks(department, due=dt.date(2026, 2, 1))
    _card, participation = _participation(Q1, department)
    assert participation.value is None
    assert participation.explanation.startswith("No one of the department is pledged")


def test_the_company_and_owner_scorecards_have_no_participation_line(force, owner):
    company = scorecard_compute(period=Q1, scope="company", now=NOW)
    mine = scorecard_compute(period=Q1, scope="owner", owner=owner, now=NOW)
    assert not [ln for ln in [*company.lines.all(), *mine.lines.all()] if ln.part == "task_force"]
