"""An initiative's task force: participation per month from check-ins, task edits and meetings, and fading."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def force(department):
    """40 people of the Service department pledged to one initiative that began in January."""
    initiative = factories.InitiativeFactory(
        title="Fix onboarding", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 12, 31)
    )
    people = [factories.TaskOwnerFactory(username=f"member-{i}") for i in range(40)]
    department.members.add(*people)
    for person in people:
        factories.PledgeFactory(initiative=initiative, department=department, person=person)
    return initiative, people


def _page(client, user, initiative):
    client.force_login(user)
    response = client.get(reverse("admin:review_participation", args=[initiative.pk]))
    assert response.status_code == 200
    return response


def test_a_task_force_going_from_40_to_6_has_faded_and_says_who_stopped(client, executive, force, department):
    initiative, people = force
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 1, 12), attendees=people)  # the kick-off
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 6, 30))
    for person in people[:6]:
        factories.CheckInFactory(task=task, author=person, date=dt.date(2026, 2, 10))
    factories.CheckInFactory(task=task, author=factories.TaskOwnerFactory(), date=dt.date(2026, 2, 11))  # not pledged
    response = _page(client, executive, initiative)
    months = response.context["participation"].months
    assert [(m.label, len(m.present), m.rate, m.faded) for m in months] == [
        ("2026-01", 40, Decimal("1.0000"), False),
        ("2026-02", 6, Decimal("0.1500"), True),
        ("2026-03", 0, Decimal("0.0000"), True),
    ]
    page = response.content.decode()
    # Judged on the last complete month (March is still going on): 6 of 40 came back in February.
    assert "This task force has faded: 15.0 % took part in 2026-02" in page
    assert "2026-03 (so far)" in page
    assert {p.person for p in response.context["stopped"]} == set(people[6:])
    assert "(Service)" in page


def test_participation_that_recovers_is_no_longer_faded(client, executive, force, department):
    initiative, people = force
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 1, 12), attendees=people[:20])
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 2, 12), attendees=people[:9])  # 9/40 < 10/40
    factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 3, 12), attendees=people[:10])  # exactly half
    months = _page(client, executive, initiative).context["participation"].months
    assert [(m.rate, m.faded) for m in months] == [
        (Decimal("0.5000"), False),
        (Decimal("0.2250"), True),
        (Decimal("0.2500"), False),  # half of the first month is not below half
    ]


def test_a_pledged_persons_task_edit_through_the_api_counts_as_taking_part(client, executive, force, department):
    initiative, people = force
    task = factories.TaskFactory(initiative=initiative, department=department, owner=people[0])
    response = token_client(people[0]).patch(f"/api/v1/tasks/{task.pk}/", {"status": "in_progress"}, format="json")
    assert response.status_code == 200, response.json()
    march = _page(client, executive, initiative).context["participation"].months[-1]
    assert march.present == {people[0].pk}


def test_no_pledge_says_so(client, executive):
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1))
    assert "No department has pledged anyone" in _page(client, executive, initiative).content.decode()


def test_the_participation_page_runs_the_same_queries_at_any_size(
    client, executive, department, django_assert_num_queries
):
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1))
    task = factories.TaskFactory(initiative=initiative, department=department, due_date=dt.date(2026, 6, 30))
    client.force_login(executive)
    url = reverse("admin:review_participation", args=[initiative.pk])

    def grow(n: int) -> None:
        people = [factories.TaskOwnerFactory() for _ in range(n)]
        department.members.add(*people)
        for person in people:
            factories.PledgeFactory(initiative=initiative, department=department, person=person)
            factories.CheckInFactory(task=task, author=person, date=dt.date(2026, 2, 2))
        factories.MeetingFactory(initiative=initiative, date=dt.date(2026, 1, 9), attendees=people)

    # The admin's own (5) and the header's unread notifications (1), then the initiative, its pledges,
    # check-ins, task edits and attendance (5).
    grow(1)
    with django_assert_num_queries(11):
        small = client.get(url)
    grow(5)
    with django_assert_num_queries(11):
        large = client.get(url)
    assert len(large.context["participation"].pledges) == 6 > len(small.context["participation"].pledges)
