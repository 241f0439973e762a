"""The scorecard dashboard, a department's drill-down, line explanations and period comparison."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accountability.models import Scorecard
from core.periods import Period
from customers.models import CustomerSegment
from review.selectors.dashboard import segment_profitability
from roadmap.models import Health, Task
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _cells(*values) -> str:
    """Figures as the review tables print them: right-aligned cells."""
    return "".join(f'<td class="num">{v}</td>' for v in values)


def _company(start, score, **kw):
    return factories.ScorecardFactory(
        scope=Scorecard.Scope.COMPANY, department=None, period_start=start, overall_score=Decimal(score), **kw
    )


def _department(department, start, score, colour="green", **kw):
    return factories.ScorecardFactory(
        department=department, period_start=start, overall_score=Decimal(score), overall_colour=colour, **kw
    )


def test_dashboard_shows_company_and_departments_worst_first_with_change(
    client, executive, department, other_department
):
    _company(
        dt.date(2026, 4, 1), "71.5", overall_colour="amber", customers_gained=12, customers_lost=20, customers_net=-8
    )
    _company(dt.date(2026, 1, 1), "60")
    _department(department, dt.date(2026, 4, 1), "82", change=Decimal("4.5"))
    _department(other_department, dt.date(2026, 4, 1), "41.2", colour="red", change=Decimal("-10"))
    client.force_login(executive)
    response = client.get(reverse("admin:review_dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Scorecard dashboard 2026-Q2" in page
    assert "71.5" in page and "gained <strong>12</strong>" in page and "net <strong>-8</strong>" in page
    assert page.index("Billing") < page.index(">Service<")  # worst first
    assert "▼ -10.0" in page and "▲ +4.5" in page
    assert 'class="badge health-red">41.2' in page
    assert "<svg" in page and "2025-Q3" in page  # trend of 8 quarters ending 2026-Q2
    assert response.context["data"].worst.department == other_department


def test_dashboard_lists_top_loss_reasons_and_initiatives_in_trouble(client, executive, department):
    price = factories.LossReasonFactory(name="Price")
    service = factories.LossReasonFactory(name="Service failure")
    factories.CustomerMovementFactory(
        kind="lost", count=3, loss_reason=price, date=dt.date(2026, 4, 10), department=department
    )
    factories.CustomerMovementFactory(
        kind="lost", count=1, loss_reason=service, date=dt.date(2026, 5, 1), department=department
    )
    factories.CustomerMovementFactory(
        kind="lost", count=9, loss_reason=service, date=dt.date(2026, 1, 5), department=department
    )
    factories.InitiativeFactory(title="Fix onboarding", health=Health.RED, status="active")
    factories.InitiativeFactory(title="All fine", health=Health.GREEN, status="active")
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard")).content.decode()
    loss = page[page.index('id="loss-reasons"') :]
    assert loss.index("Price") < loss.index("Service failure")
    assert _cells(3, "75.0 %") in loss
    assert "Fix onboarding" in page and "All fine" not in page


def test_dashboard_shows_customers_and_profit_by_segment_most_valuable_first(client, executive, department):
    enterprise = factories.CustomerSegmentFactory(name="Enterprise", rank=1)
    small = factories.CustomerSegmentFactory(name="Small business", rank=2)
    move = factories.CustomerMovementFactory
    move(segment=small, kind="gained", count=10, profit=Decimal("500"), date=dt.date(2026, 4, 2), department=department)
    move(segment=small, kind="lost", count=4, profit=Decimal("200.50"), date=dt.date(2026, 5, 2), department=department)
    move(segment=enterprise, kind="lost", count=1, profit=Decimal("9000"), date=dt.date(2026, 6, 30))
    move(segment=enterprise, kind="gained", count=7, profit=Decimal("1"), date=dt.date(2026, 3, 31))  # 2026-Q1
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard")).content.decode()
    table = page[page.index('id="segments"') : page.index("</table>", page.index('id="segments"'))]
    assert table.index("Enterprise") < table.index("Small business")  # by the segments' rank
    enterprise_row = table[table.index("Enterprise") : table.index("Small business")]
    assert _cells(0, 1, -1, "£0.00", "£9,000.00", "-£9,000.00") in enterprise_row
    assert _cells(10, 4, 6, "£500.00", "£200.50", "£299.50") in table
    q1 = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q1"}).content.decode()
    assert _cells(7, 0, 7, "£1.00") in q1


def test_a_departments_drill_down_shows_only_its_own_customers_by_segment(
    client, executive, department, other_department
):
    segment = factories.CustomerSegmentFactory(name="Enterprise")
    move = factories.CustomerMovementFactory
    move(segment=segment, kind="gained", count=2, profit=Decimal("40"), date=dt.date(2026, 4, 2), department=department)
    move(
        segment=segment,
        kind="gained",
        count=5,
        profit=Decimal("99"),
        date=dt.date(2026, 4, 2),
        department=other_department,
    )
    client.force_login(executive)
    page = client.get(reverse("admin:review_department", args=[department.slug])).content.decode()
    assert _cells(2, 0, 2, "£40.00", "£0.00", "£40.00") in page
    assert "99.00" not in page


def test_period_without_snapshot_says_so_and_offers_computing_to_cco_staff(client, cco_staff, executive, department):
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q1"}).content.decode()
    assert "No company scorecard has been computed for 2026-Q1 yet." in page
    assert 'id="compute"' not in page
    client.force_login(cco_staff)
    page = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q1"}).content.decode()
    assert 'id="compute"' in page


def test_recompute_computes_every_scope_of_the_period_and_is_refused_to_executives(
    client, cco_staff, executive, department
):
    url = reverse("admin:review_recompute") + "?period=2026-Q1"
    client.force_login(executive)
    assert client.post(url).status_code == 403
    assert not Scorecard.objects.exists()
    client.force_login(cco_staff)
    response = client.post(url, follow=True)
    assert "Scorecards for 2026-Q1 computed." in response.content.decode()
    computed = Scorecard.objects.filter(period_kind="quarter", period_start=dt.date(2026, 1, 1))
    assert set(computed.values_list("scope", "department")) == {("company", None), ("department", department.pk)}


def test_a_bad_period_is_named_and_the_current_quarter_shown(client, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard"), {"period": "2026-Q9"}).content.decode()
    assert "is not a period; write 2026-Q3 for a quarter" in page
    assert "Scorecard dashboard 2026-Q2" in page


def test_department_drill_down_explains_lines_and_lists_problem_tasks(client, executive, department, owner):
    card = _department(department, dt.date(2026, 4, 1), "55.6", colour="amber")
    line = factories.ScorecardLineFactory(
        scorecard=card,
        label="Delivery",
        score=Decimal("60"),
        colour="amber",
        weight=Decimal("2"),
        explanation="6 of 10 due tasks done on time.",
        inputs={"due": 10, "on_time": 6},
    )
    factories.TaskFactory(department=department, owner=owner, title="Late welcome call", due_date=dt.date(2026, 5, 1))
    factories.TaskFactory(
        department=department, title="Stuck invoice fix", status=Task.Status.BLOCKED, due_date=dt.date(2026, 6, 1)
    )
    factories.TaskFactory(
        department=department, title="Done already", status=Task.Status.DONE, due_date=dt.date(2026, 5, 1)
    )
    metric = factories.MetricFactory(name="First-contact resolution")
    factories.TargetFactory(metric=metric, department=department, period_start=dt.date(2026, 4, 1))
    factories.ReadingFactory(metric=metric, department=department, date=dt.date(2026, 4, 5), value=Decimal("70"))
    factories.ReadingFactory(metric=metric, department=department, date=dt.date(2026, 5, 5), value=Decimal("82"))
    client.force_login(executive)
    response = client.get(reverse("admin:review_department", args=[department.slug]))
    page = response.content.decode()
    assert "6 of 10 due tasks done on time." in page and '<th scope="row">on_time</th><td>6</td>' in page
    assert reverse("admin:review_line", args=[line.pk]) in page
    overdue = page[page.index('id="overdue"') : page.index('id="blocked"')]
    assert "Late welcome call" in overdue and owner.get_full_name() in overdue and "Done already" not in overdue
    assert "Stuck invoice fix" in page[page.index('id="blocked"') :]
    assert [m.value for m in response.context["data"].metrics] == [Decimal("76")]  # average of 70 and 82
    assert "First-contact resolution" in page and "76.0 %" in page


def test_line_page_shows_the_explanation_and_inputs(client, executive, department):
    line = factories.ScorecardLineFactory(
        scorecard=_department(department, dt.date(2026, 4, 1), "80"),
        label="Growth",
        explanation="gained 12, lost 20",
        inputs={"gained": 12, "lost": 20},
    )
    client.force_login(executive)
    page = client.get(reverse("admin:review_line", args=[line.pk])).content.decode()
    assert "gained 12, lost 20" in page and '<th scope="row">lost</th><td>20</td>' in page


def test_compare_shows_two_periods_side_by_side(client, executive, department):
    _department(department, dt.date(2026, 1, 1), "44.4", colour="red")
    _department(department, dt.date(2026, 4, 1), "88.8")
    client.force_login(executive)
    page = client.get(reverse("admin:review_compare"), {"a": "2026-Q1", "b": "2026-Q2"}).content.decode()
    row = page[page.index(">Service<") :]
    assert row.index("44.4") < row.index("88.8")
    page = client.get(reverse("admin:review_compare"), {"a": "2026-01", "b": "2026-Q2"}).content.decode()
    assert "Compare two quarters or two months" in page


def test_review_pages_need_a_login(client, department):
    for url in (reverse("admin:review_dashboard"), reverse("admin:review_department", args=[department.slug])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_segments_of_one_rank_follow_their_names_and_a_segment_without_movements_is_left_out(department):
    for name in ("Zeta", "Alpha", "Idle"):
        factories.CustomerSegmentFactory(name=name, rank=3)
    first = factories.CustomerSegmentFactory(name="Top", rank=1)
    move = factories.CustomerMovementFactory
    for name, kind, count in [("Zeta", "lost", 2), ("Alpha", "gained", 3), ("Top", "lost", 1), ("Top", "gained", 4)]:
        segment = first if name == "Top" else CustomerSegment.objects.get(name=name)
        move(segment=segment, kind=kind, count=count, profit=Decimal("10.25"), date=dt.date(2026, 5, 2))
    rows = segment_profitability(period=Period.parse("2026-Q2"))
    assert [(r.segment, r.gained, r.lost, r.profit_gained, r.profit_lost) for r in rows] == [
        ("Top", 4, 1, Decimal("10.25"), Decimal("10.25")),
        ("Alpha", 3, 0, Decimal("10.25"), 0),
        ("Zeta", 0, 2, 0, Decimal("10.25")),
    ]
