"""Importing task-force meetings and who attended: all or nothing, errors by line and column, CCO staff only."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import imports
from roadmap.meeting_resources import INITIATIVE_CANCELLED, UNKNOWN_PEOPLE
from roadmap.models import Meeting
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "initiative,date,title,attendees\n"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def force(department):
    initiative = factories.InitiativeFactory(title="Fix onboarding")
    people = [factories.TaskOwnerFactory(username=f"member-{i}") for i in range(3)]
    department.members.add(*people)
    return initiative, people


def _run(user, text, dry_run=False):
    return imports.import_run(kind="meetings", filename="m.csv", content=text.encode(), user=user, dry_run=dry_run)


def test_meetings_are_imported_with_their_attendees_and_count_as_taking_part(client, cco_staff, department, force):
    initiative, people = force
    for person in people:
        factories.PledgeFactory(initiative=initiative, department=department, person=person)
    text = HEADER + "Fix onboarding,2026-01-12,Kick-off,member-0; member-1;member-2\n"
    text += f"{initiative.pk},2026-02-12,,member-0\n"
    report = _run(cco_staff, text)
    assert report.committed and not report.errors
    meetings = Meeting.objects.order_by("date")
    assert [(m.date, m.title, sorted(a.username for a in m.attendees.all())) for m in meetings] == [
        (dt.date(2026, 1, 12), "Kick-off", ["member-0", "member-1", "member-2"]),
        (dt.date(2026, 2, 12), "", ["member-0"]),
    ]
    client.force_login(cco_staff)
    months = client.get(reverse("admin:review_participation", args=[initiative.pk])).context["participation"].months
    assert [len(m.present) for m in months] == [3, 1, 0]


def test_a_dry_run_imports_nothing(cco_staff, force):
    report = _run(cco_staff, HEADER + "Fix onboarding,2026-01-12,Kick-off,member-0\n", dry_run=True)
    assert not report.errors and not report.committed and not Meeting.objects.exists()


def test_one_bad_row_means_nothing_is_imported_and_each_error_names_line_and_column(cco_staff, force):
    factories.UserFactory(username="gone", is_active=False)
    cancelled = factories.InitiativeFactory(title="Old idea", status="cancelled")
    text = (
        HEADER
        + "Fix onboarding,2026-01-12,Good,member-0\n"
        + "Fix onboarding,2026-03-21,Tomorrow,member-0\n"  # a meeting in the future
        + "Fix onboarding,2026-02-01,Strangers,ghost;member-1;gone\n"
        + "Old idea,2026-02-01,,member-1\n"
        + "Nowhere,12/02/2026,,\n"
    )
    report = _run(cco_staff, text)
    assert not report.committed and not Meeting.objects.exists()
    assert [r.line for r in report.errors] == [3, 4, 5, 6]
    assert report.rows[1].messages == [
        "date: Attendance is recorded for meetings that took place: 2026-03-21 is after today (2026-03-20)."
    ]
    assert report.rows[2].messages == ["attendees: " + UNKNOWN_PEOPLE.format(names="'ghost', 'gone'")]
    assert report.rows[3].messages == ["initiative: " + INITIATIVE_CANCELLED.format(initiative=cancelled)]
    assert any(m.startswith("initiative: No initiative with title or id 'Nowhere'") for m in report.rows[4].messages)
    assert any(m.startswith("date: '12/02/2026' is not a date") for m in report.rows[4].messages)


def test_a_missing_date_is_named(cco_staff, force):
    report = _run(cco_staff, HEADER + "Fix onboarding,,,member-0\n")
    assert report.rows[0].messages == ["date: This column needs a value."]


@pytest.mark.parametrize("who", ["head", "executive", "owner"])
def test_only_cco_staff_import_meetings(request, force, who):
    user = request.getfixturevalue(who)
    with pytest.raises(imports.ImportRefused):
        _run(user, HEADER + "Fix onboarding,2026-01-12,,member-0\n")
    assert not Meeting.objects.exists()


def test_a_head_is_told_that_meetings_are_cco_staffs_on_the_import_page(client, head, force):
    client.force_login(head)
    upload = SimpleUploadedFile("m.csv", (HEADER + "Fix onboarding,2026-01-12,,member-0\n").encode())
    page = client.post(reverse("admin:review_import"), {"kind": "meetings", "file": upload}).content.decode()
    assert "Only CCO staff import task-force meetings." in page and not Meeting.objects.exists()


def test_the_import_page_lists_the_meeting_columns(client, cco_staff):
    client.force_login(cco_staff)
    page = client.get(reverse("admin:review_import")).content.decode()
    assert "Task-force meetings</td><td>initiative, date</td><td>title, attendees</td>" in page
