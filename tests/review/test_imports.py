"""Imports of tasks, readings and movements: dry run, per-row errors, all or nothing, rights."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core import resources
from customers.models import CustomerMovement, Reading
from review import imports
from roadmap.models import Task
from tests import factories

pytestmark = pytest.mark.django_db
TASK_HEADER = "title,initiative,department,owner,due_date,status\n"


@pytest.fixture
def initiative(db):
    return factories.InitiativeFactory(title="Faster onboarding")


def _run(user, text, kind="tasks", dry_run=False, filename="tasks.csv"):
    content = text.encode() if isinstance(text, str) else text
    return imports.import_run(kind=kind, filename=filename, content=content, user=user, dry_run=dry_run)


def test_good_task_file_is_imported_through_the_service(cco_staff, department, owner, initiative):
    text = (
        TASK_HEADER
        + "Call new customers,Faster onboarding,service,owner,2026-06-30,\n"
        + "Welcome pack,Faster onboarding,service,,2026-07-15,done\n"
    )
    report = _run(cco_staff, text)
    assert report.committed and [r.line for r in report.rows] == [2, 3] and not report.errors
    tasks = {t.title: t for t in Task.objects.all()}
    assert tasks["Call new customers"].owner == owner and tasks["Call new customers"].status == "not_started"
    assert tasks["Welcome pack"].owner is None and tasks["Welcome pack"].completed_at is not None
    assert tasks["Welcome pack"].status_changed_at is not None  # set by the service


def test_dry_run_reports_rows_and_imports_nothing(cco_staff, department, initiative):
    report = _run(cco_staff, TASK_HEADER + "A,Faster onboarding,service,,2026-06-30,\n", dry_run=True)
    assert not report.committed and not report.errors and len(report.rows) == 1
    assert Task.objects.count() == 0


def test_one_bad_row_means_nothing_is_imported_and_each_error_names_line_and_column(cco_staff, department, initiative):
    text = (
        TASK_HEADER
        + "Good one,Faster onboarding,service,,2026-06-30,\n"
        + "Bad dept,Faster onboarding,nowhere,ghost,2026-06-30,\n"
        + "Bad date,Faster onboarding,service,,30/06/2026,finished\n"
    )
    report = _run(cco_staff, text)
    assert not report.committed and Task.objects.count() == 0
    assert [r.line for r in report.errors] == [3, 4]
    assert (
        "department: " + resources.UNKNOWN.format(what="department", key="slug", value="nowhere")
        in report.rows[1].messages
    )
    assert "owner: " + resources.UNKNOWN.format(what="user", key="username", value="ghost") in report.rows[1].messages
    assert "due_date: " + resources.BAD_DATE.format(value="30/06/2026") in report.rows[2].messages
    assert any(m.startswith("status: 'finished' is not one of") for m in report.rows[2].messages)


def test_a_model_rule_broken_by_a_row_is_reported_for_that_row(cco_staff, department, initiative):
    report = _run(cco_staff, TASK_HEADER + "Too late,Faster onboarding,service,,2030-01-01,\n")
    assert "due_date: The due date must fall within the initiative's dates" in report.rows[0].messages[0]
    assert Task.objects.count() == 0


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("tasks.csv", b"titel,initiative,department,due_date\nx,y,z,2026-01-01\n", "Missing column(s): title."),
        ("tasks.csv", (TASK_HEADER.strip() + ",colour\n").encode(), "Unknown column(s): colour."),
        (
            "tasks.csv",
            TASK_HEADER.encode() + "Caf\xe9,Faster onboarding,service,,2026-06-30,\n".encode("latin-1"),
            "is not UTF-8 text",
        ),
        ("tasks.csv", TASK_HEADER.encode(), imports.EMPTY_FILE),
        ("tasks.txt", TASK_HEADER.encode(), imports.BAD_EXTENSION),
        ("tasks.xlsx", b"not a zip", "could not be read as XLSX"),
    ],
)
def test_a_bad_file_is_refused_as_a_whole_with_a_clear_message(cco_staff, filename, content, message):
    with pytest.raises(imports.ImportRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        _run(cco_staff, content, filename=filename)
    assert Task.objects.count() == 0


def test_head_imports_only_rows_of_their_departments(head, department, other_department, initiative):
    text = TASK_HEADER + "Mine,Faster onboarding,service,,2026-06-30,\nTheirs,Faster onboarding,billing,,2026-06-30,\n"
    report = _run(head, text)
    assert not report.committed and [r.line for r in report.errors] == [3]
    assert report.rows[1].messages == ["department: " + resources.NOT_YOUR_DEPARTMENT.format(department="Billing")]
    assert _run(head, TASK_HEADER + "Mine,Faster onboarding,service,,2026-06-30,\n").committed


def test_head_may_not_import_company_level_readings(head, department):
    factories.MetricFactory(code="nps", level="company")
    report = _run(head, "metric,date,value\nnps,2026-02-01,41\n", kind="readings", filename="r.csv")
    assert report.rows[0].messages == ["department: " + resources.COMPANY_LEVEL_STAFF_ONLY]
    assert not Reading.objects.exists()


def test_executives_and_owners_may_not_import(executive, owner):
    for user in (executive, owner):
        with pytest.raises(imports.ImportRefused, match=imports.NOT_ALLOWED):
            _run(user, TASK_HEADER)


def test_readings_import_from_xlsx_with_real_date_cells(cco_staff, department):
    metric = factories.MetricFactory(code="fcr")
    book = Workbook()
    sheet = book.active
    sheet.append(["metric", "department", "date", "value"])
    sheet.append(["fcr", "service", dt.datetime(2026, 2, 1), 76.5])
    sheet.append(["fcr", "service", "2026-02-02", "77"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _run(cco_staff, buffer.getvalue(), kind="readings", filename="readings.xlsx")
    assert report.committed, report.errors
    values = sorted(Reading.objects.filter(metric=metric).values_list("date", "value", "source", "entered_by"))
    assert values == [
        (dt.date(2026, 2, 1), Decimal("76.5"), "import", cco_staff.pk),
        (dt.date(2026, 2, 2), Decimal("77"), "import", cco_staff.pk),
    ]


def test_movements_import_resolves_segment_and_loss_reason_by_slug(cco_staff, department):
    factories.CustomerSegmentFactory(name="Strategic", slug="strategic")
    factories.LossReasonFactory(name="Price", slug="price")
    text = (
        "date,kind,segment,department,count,revenue,profit,loss_reason,note\n"
        "2026-02-03,lost,strategic,service,2,24000,6000,price,went to a rival\n"
        "2026-02-04,gained,strategic,,3,,,,\n"
    )
    report = _run(cco_staff, text, kind="movements", filename="m.csv")
    assert report.committed, [r.messages for r in report.errors]
    assert sorted(CustomerMovement.objects.values_list("kind", "count", "loss_reason__slug")) == [
        ("gained", 3, None),
        ("lost", 2, "price"),
    ]
    bad = _run(
        cco_staff,
        "date,kind,segment,count,loss_reason\n2026-02-03,lost,strategic,1,greed\n",
        kind="movements",
        filename="m.csv",
    )
    assert bad.rows[0].messages == [
        "loss_reason: " + resources.UNKNOWN.format(what="loss reason", key="slug", value="greed")
    ]


def test_import_page_dry_run_then_confirm(client, cco_staff, department, initiative):
    client.force_login(cco_staff)
    url = reverse("admin:review_import")
    upload = SimpleUploadedFile("t.csv", (TASK_HEADER + "A,Faster onboarding,service,,2026-06-30,\n").encode())
    page = client.post(url, {"kind": "tasks", "file": upload}).content.decode()
    assert "1 row ready" in page and 'id="confirm"' in page
    assert Task.objects.count() == 0
    token = client.session["review_import"]["token"]
    response = client.post(url, {"token": token}, follow=True)
    assert "Imported 1 tasks." in response.content.decode()
    assert Task.objects.count() == 1
    response = client.post(url, {"token": token})  # a second confirm imports nothing more
    assert "no longer waiting" in response.content.decode() and Task.objects.count() == 1


def test_import_page_shows_errors_by_line_and_offers_no_confirm(client, cco_staff, department, initiative):
    client.force_login(cco_staff)
    upload = SimpleUploadedFile("t.csv", (TASK_HEADER + "A,Faster onboarding,nowhere,,2026-06-30,\n").encode())
    page = client.post(reverse("admin:review_import"), {"kind": "tasks", "file": upload}).content.decode()
    assert "Line 2: department: No department with slug &#x27;nowhere&#x27;." in page
    assert 'id="confirm"' not in page


def test_import_page_is_forbidden_to_executives(client, executive):
    client.force_login(executive)
    assert client.get(reverse("admin:review_import")).status_code == 403
