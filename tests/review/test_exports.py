"""Board pack PDF and scorecard CSV; task lists as CSV and XLSX, scoped to the user's tasks."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accountability.models import Scorecard
from review.exports import tasks as export_tasks
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def card(department):
    card = factories.ScorecardFactory(
        department=department,
        period_start=dt.date(2026, 4, 1),
        overall_score=Decimal("55.6"),
        overall_colour="amber",
        customers_gained=12,
        customers_lost=20,
        customers_net=-8,
    )
    factories.ScorecardFactory(department=department, period_start=dt.date(2026, 1, 1), overall_score=Decimal("61"))
    factories.ScorecardLineFactory(scorecard=card, label="Delivery", score=Decimal(60), explanation="6 of 10 on time")
    return card


def pdf_text(body: bytes) -> bytes:
    """The page text of an uncompressed reportlab PDF, with PDF string escapes undone."""
    return body.replace(b"\\(", b"(").replace(b"\\)", b")")


def test_department_board_pack_is_a_pdf_with_its_name_scores_and_lines(client, executive, card):
    client.force_login(executive)
    response = client.get(
        reverse("admin:review_scorecard_export", args=["pdf"]), {"period": "2026-Q2", "department": "service"}
    )
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="scorecard-service-2026-Q2.pdf"' in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"%PDF")
    for text in (b"Service: scorecard 2026-Q2", b"55.6 (Amber)", b"12 / 20 / -8", b"6 of 10 on time", b"2026-Q1"):
        assert text in pdf_text(body)


def test_company_board_pack_lists_the_departments(client, executive, card):
    factories.ScorecardFactory(
        scope=Scorecard.Scope.COMPANY, department=None, period_start=dt.date(2026, 4, 1), overall_score=Decimal(70)
    )
    client.force_login(executive)
    body = client.get(reverse("admin:review_scorecard_export", args=["pdf"]), {"period": "2026-Q2"}).content
    assert b"Company: scorecard 2026-Q2" in body and b"Departments" in body and b"Service" in body


def test_scorecard_csv_has_summary_lines_and_trend(client, executive, card):
    client.force_login(executive)
    response = client.get(
        reverse("admin:review_scorecard_export", args=["csv"]), {"period": "2026-Q2", "department": "service"}
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for spreadsheets
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["scope", "Service"] and rows[1] == ["period", "2026-Q2"]
    assert ["Overall score", "55.6 (Amber)"] in rows
    assert ["delivery", "Delivery", "\u2013", "60.0", "\u2013", "\u2013", "6 of 10 on time"] in rows
    assert ["2026-Q1", "61.0"] in rows and ["2026-Q2", "55.6"] in rows


def test_an_unknown_export_format_is_not_found_and_a_bad_period_is_400_naming_it(client, executive):
    client.force_login(executive)
    assert client.get(reverse("admin:review_scorecard_export", args=["doc"])).status_code == 404
    response = client.get(reverse("admin:review_scorecard_export", args=["pdf"]), {"period": "Q7"})
    assert response.status_code == 400 and response.content.decode().startswith("period: ")


def test_task_exports_hold_only_the_users_tasks(client, owner, department, other_department):
    factories.TaskFactory(department=department, title="Ours", owner=owner)
    factories.TaskFactory(department=other_department, title="Theirs")
    client.force_login(owner)
    text = b"".join(client.get(reverse("admin:review_tasks_export", args=["csv"])).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["title"], r["department"], r["owner"]) for r in rows] == [("Ours", "service", "owner")]
    response = client.get(reverse("admin:review_tasks_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:4] == ("id", "title", "initiative", "department") and [v[1] for v in values[1:]] == ["Ours"]


def test_task_export_filters_by_department_and_status(client, cco_staff, department, other_department):
    factories.TaskFactory(department=department, title="Blocked one", status="blocked")
    factories.TaskFactory(department=department, title="Open one")
    factories.TaskFactory(department=other_department, title="Elsewhere", status="blocked")
    client.force_login(cco_staff)
    response = client.get(
        reverse("admin:review_tasks_export", args=["csv"]), {"department": "service", "status": "blocked"}
    )
    text = b"".join(response.streaming_content).decode()
    assert [r["title"] for r in csv.DictReader(io.StringIO(text))] == ["Blocked one"]


@pytest.mark.parametrize("tasks", [3, 12])
def test_the_tasks_csv_streams_every_row_in_chunks_with_the_same_queries_at_any_size(
    client, cco_staff, department, django_assert_num_queries, monkeypatch, tasks
):
    monkeypatch.setattr(export_tasks, "CHUNK_ROWS", 5)
    initiative = factories.InitiativeFactory()
    factories.TaskFactory.create_batch(tasks, department=department, initiative=initiative, owner=None)
    client.force_login(cco_staff)
    response = client.get(reverse("admin:review_tasks_export", args=["csv"]))
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="tasks.csv"'
    with django_assert_num_queries(1):  # the rows, read as the client reads the response
        chunks = list(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert len(rows) == tasks and {row["owner"] for row in rows} == {""}
    assert len(chunks) == tasks // 5 + 1
