"""The budget view: spending by purpose per period, duplicate spending, and CCO staff pooling it.

Figures are hand-computed: a line runs over its initiative's dates (inclusive) and counts in a
period for the days it shares with it.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from roadmap.models import Initiative, InitiativeDepartment, Task
from tests import factories

pytestmark = pytest.mark.django_db
Q2 = "2026-Q2"  # 2026-04-01 to 2026-06-30: 91 days


@pytest.fixture
def fcr(db):
    return factories.MetricFactory(code="fcr", name="First contact resolution")


@pytest.fixture
def roadmap(db):
    return factories.RoadmapFactory(name="FY26")


def _line(roadmap, department, start, end, budget, title, **purposes):
    initiative = factories.InitiativeFactory(roadmap=roadmap, title=title, start_date=start, end_date=end)
    return factories.InitiativeDepartmentFactory(
        initiative=initiative, department=department, budget=Decimal(budget), **purposes
    )


def _budget(client, user, period=Q2):
    client.force_login(user)
    response = client.get(reverse("admin:review_budget"), {"period": period})
    assert response.status_code == 200
    return response.context["budget"]


def test_a_line_counts_in_a_period_for_the_days_it_shares_with_it(client, executive, roadmap, department, fcr):
    # A whole year (365 days) of 36,500: 100 a day, 91 days of Q2.
    _line(roadmap, department, dt.date(2026, 1, 1), dt.date(2026, 12, 31), "36500", "Call centre", metrics=[fcr])
    # 1 May to 31 July (92 days) of 9,200: 61 days in Q2 → 6,100.
    _line(roadmap, department, dt.date(2026, 5, 1), dt.date(2026, 7, 31), "9200", "Summer push")
    budget = _budget(client, executive)
    assert budget.by_department == [(department, Decimal("15200.00"), Decimal("6100.00"))]
    assert budget.total == Decimal("15200.00")
    metrics = budget.matrices[0]
    assert metrics.columns == ["First contact resolution"]
    assert metrics.rows == [(department, [Decimal("9100.00")], Decimal("9100.00"))]
    empty = _budget(client, executive, "2027-Q1")
    assert (empty.total, empty.by_department, empty.duplicates) == (0, [], [])


def test_spending_adds_up_by_department_and_metric_loss_reason_and_segment(
    client, executive, roadmap, department, other_department, fcr
):
    price = factories.LossReasonFactory(name="Price")
    strategic = factories.CustomerSegmentFactory(name="Strategic")
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    _line(roadmap, department, *q2, "1000", "A", metrics=[fcr], loss_reasons=[price])
    _line(roadmap, department, *q2, "500", "B", metrics=[fcr], segments=[strategic])
    _line(roadmap, other_department, *q2, "250", "C", loss_reasons=[price], segments=[strategic])
    cancelled = _line(roadmap, other_department, *q2, "9999", "Cancelled", metrics=[fcr])
    Initiative.objects.filter(pk=cancelled.initiative_id).update(status="cancelled")
    metrics, reasons, segments = _budget(client, executive).matrices
    assert metrics.rows == [(department, [Decimal("1500.00")], Decimal("1500.00"))]
    assert reasons.columns == ["Price"]
    assert [(d.name, cells) for d, cells, _ in reasons.rows] == [
        ("Billing", [Decimal("250.00")]),
        ("Service", [Decimal("1000.00")]),
    ]
    assert reasons.totals == [Decimal("1250.00")]
    assert segments.totals == [Decimal("750.00")]


@pytest.mark.parametrize(
    ("second_start", "flagged", "overlap"),
    [
        (dt.date(2026, 5, 1), False, None),  # the periods only touch: first ends 30 April
        (dt.date(2026, 4, 30), True, (dt.date(2026, 4, 30), dt.date(2026, 4, 30))),  # overlap by one day
        (dt.date(2026, 4, 1), True, (dt.date(2026, 4, 1), dt.date(2026, 4, 30))),
    ],
)
def test_duplicate_spending_needs_two_departments_aiming_at_the_same_thing_in_overlapping_periods(
    client, executive, roadmap, department, other_department, fcr, second_start, flagged, overlap
):
    first = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 4, 30), "3000", "Callbacks", metrics=[fcr])
    second = _line(roadmap, other_department, second_start, dt.date(2026, 6, 30), "1000", "Chat", metrics=[fcr])
    duplicates = _budget(client, executive).duplicates
    if not flagged:
        assert duplicates == []
        return
    [dup] = duplicates
    assert (dup.a.line, dup.b.line) == (first, second)  # the larger line first
    assert dup.shared == ("metric: First contact resolution",)
    assert (dup.overlap_start, dup.overlap_end) == overlap
    assert dup.combined == Decimal("4000.00")
    assert dup.combined_in_period == Decimal("4000.00")


def test_lines_of_one_department_or_one_initiative_or_different_aims_are_not_duplicates(
    client, executive, roadmap, department, other_department, fcr
):
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    _line(roadmap, department, *q2, "100", "A", metrics=[fcr])
    _line(roadmap, department, *q2, "100", "B", metrics=[fcr])  # same department
    shared = _line(roadmap, other_department, *q2, "100", "C", metrics=[factories.MetricFactory()])
    factories.InitiativeDepartmentFactory(initiative=shared.initiative, department=department, metrics=[fcr])
    assert _budget(client, executive).duplicates == []


def test_a_pair_aiming_at_several_things_is_flagged_once_with_all_it_shares(
    client, executive, roadmap, department, other_department, fcr
):
    price = factories.LossReasonFactory(name="Price")
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    _line(roadmap, department, *q2, "100", "A", metrics=[fcr], loss_reasons=[price])
    _line(roadmap, other_department, *q2, "100", "B", metrics=[fcr], loss_reasons=[price])
    [dup] = _budget(client, executive).duplicates
    assert dup.shared == ("loss reason: Price", "metric: First contact resolution")


def test_the_page_shows_the_pair_side_by_side_and_only_cco_staff_get_the_pool_button(
    client, executive, cco_staff, roadmap, department, other_department, fcr
):
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    _line(roadmap, department, *q2, "2000", "Callbacks", metrics=[fcr])
    _line(roadmap, other_department, *q2, "1000", "Chat bot", metrics=[fcr])
    client.force_login(executive)
    page = client.get(reverse("admin:review_budget"), {"period": Q2}).content.decode()
    assert "Callbacks" in page and "Chat bot" in page and "£3,000.00" in page
    assert "Pool them" not in page
    client.force_login(cco_staff)
    assert "Pool them" in client.get(reverse("admin:review_budget"), {"period": Q2}).content.decode()


def test_a_bad_period_shows_an_error_and_the_current_quarter(client, executive):
    client.force_login(executive)
    response = client.get(reverse("admin:review_budget"), {"period": "2026-Q9"})
    assert response.status_code == 200
    assert "is not a period" in response.context["error"]


def test_the_csv_has_the_totals_and_the_duplicates(client, executive, roadmap, department, other_department, fcr):
    q2 = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    _line(roadmap, department, *q2, "2000", "Callbacks", metrics=[fcr])
    _line(roadmap, other_department, *q2, "1000", "Chat bot", metrics=[fcr])
    client.force_login(executive)
    response = client.get(reverse("admin:review_budget_export"), {"period": Q2})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["total in period", "£3,000.00"] in rows
    assert ["metric", "First contact resolution", "Service", "£2,000.00"] in rows
    [dup] = [row for row in rows if row and row[0] == "metric: First contact resolution"]
    assert dup == [
        "metric: First contact resolution",
        *("Service", "Callbacks", "£2,000.00", "£2,000.00"),
        *("Billing", "Chat bot", "£1,000.00", "£1,000.00"),
        *("£3,000.00", "2026-04-01", "2026-06-30"),
    ]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _pool(client, user, target, source):
    client.force_login(user)
    data = {"target": target.pk, "source": source.pk, "period": Q2}
    return client.post(reverse("admin:review_budget_pool"), data, follow=True)


def test_cco_staff_pool_two_initiatives_into_one_with_history_kept(
    client, cco_staff, roadmap, department, other_department, fcr
):
    a = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2000", "Callbacks", metrics=[fcr])
    b = _line(roadmap, other_department, dt.date(2026, 5, 1), dt.date(2026, 8, 31), "1000", "Chat", metrics=[fcr])
    same = factories.InitiativeDepartmentFactory(initiative=b.initiative, department=department, budget=500)
    task = factories.TaskFactory(initiative=b.initiative, department=other_department, due_date=dt.date(2026, 8, 1))
    response = _pool(client, cco_staff, a.initiative, b.initiative)
    assert _messages(response) == ["Chat pooled into Callbacks: one initiative, its history kept."]
    assert response.context["budget"].duplicates == []
    target, source = Initiative.objects.get(pk=a.initiative_id), Initiative.objects.get(pk=b.initiative_id)
    assert (target.start_date, target.end_date) == (dt.date(2026, 4, 1), dt.date(2026, 8, 31))
    assert (source.status, source.pooled_into) == (Initiative.Status.CANCELLED, target)
    lines = {line.department.name: line.budget for line in target.department_links.all()}
    assert lines == {"Service": Decimal("2500.00"), "Billing": Decimal("1000.00")}  # one line per department
    assert not InitiativeDepartment.objects.filter(pk=same.pk).exists()
    assert Task.objects.get(pk=task.pk).initiative == target
    assert source.history.first().history_change_reason == "Pooled into Callbacks"
    assert source.history.first().history_user == cco_staff
    assert InitiativeDepartment.history.filter(id=same.pk, history_type="-").exists()  # what Service had put in


def test_pooling_initiatives_of_different_roadmaps_is_refused_and_changes_nothing(
    client, cco_staff, roadmap, department, other_department, fcr
):
    a = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2000", "Callbacks", metrics=[fcr])
    other = factories.RoadmapFactory(name="FY27")
    b = _line(other, other_department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "1000", "Chat", metrics=[fcr])
    response = _pool(client, cco_staff, a.initiative, b.initiative)
    assert _messages(response) == ["source: Only initiatives of the same roadmap can be pooled; Chat is on FY27."]
    assert Initiative.objects.get(pk=b.initiative_id).pooled_into is None
    assert InitiativeDepartment.objects.get(pk=b.pk).initiative_id == b.initiative_id


def test_pooling_an_initiative_into_itself_or_an_unknown_one_is_refused(client, cco_staff, roadmap, department):
    a = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2000", "Callbacks")
    response = _pool(client, cco_staff, a.initiative, a.initiative)
    assert _messages(response) == ["source: Choose two different initiatives to pool."]
    response = client.post(reverse("admin:review_budget_pool"), {"target": a.initiative_id, "source": "x"}, follow=True)
    assert _messages(response) == ["source: Choose two initiatives to pool: source is missing or unknown."]


@pytest.mark.parametrize("role", ["executive", "head"])
def test_only_cco_staff_pool(client, executive, head, role, roadmap, department, other_department):
    a = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2000", "Callbacks")
    b = _line(roadmap, other_department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "1000", "Chat")
    response = _pool(client, {"executive": executive, "head": head}[role], a.initiative, b.initiative)
    assert response.status_code == 403
    assert Initiative.objects.get(pk=b.initiative_id).pooled_into is None


def test_pooling_twice_is_refused_with_the_reason(client, cco_staff, roadmap, department, other_department):
    a = _line(roadmap, department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2000", "Callbacks")
    b = _line(roadmap, other_department, dt.date(2026, 4, 1), dt.date(2026, 6, 30), "1000", "Chat")
    _pool(client, cco_staff, a.initiative, b.initiative)
    response = _pool(client, cco_staff, a.initiative, b.initiative)
    assert _messages(response) == ["source: Chat was already pooled into Callbacks."]
