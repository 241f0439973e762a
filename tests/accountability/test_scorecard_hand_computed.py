"""Five scorecards whose every figure is worked out by hand in the comments.

Settings are the defaults unless a test says otherwise: delivery weight 2, growth weight 2,
each metric weight 1, overall green from 80 and amber from 50, stale after 14 days.
"""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.models import ScorecardSettings
from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from customers.models import Metric
from tests import factories
from tests.accountability.scorecard_data import line, local, metric, moved, readings, target, tasks

pytestmark = pytest.mark.django_db
D = Decimal
Q1 = Period.parse("2026-Q1")


def test_lower_is_better_metrics_with_sum_average_and_last_value(department):
    now = local(dt.date(2026, 4, 10))
    # Delivery: 3 due on time, 1 overdue (due 31 March, today 10 April: 10 days late) -> 3/4 = 0.75 -> 75, amber.
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 1, 30), n=3)
    tasks(department, due=dt.date(2026, 3, 31), status="in_progress", status_changed_at=local(dt.date(2026, 4, 9)))
    # Complaints (lower, sum), T 10, A 20: 6 + 5 + 4 = 15 -> 50 + 50*(20 - 15)/(20 - 10) = 75, amber.
    complaints = metric("complaints", lower=True, aggregation="sum")
    target(complaints, t=10, a=20, department=department)
    readings(complaints, department, (dt.date(2026, 1, 5), 6), (dt.date(2026, 2, 5), 5), (dt.date(2026, 3, 5), 4))
    # A reading outside the quarter does not count.
    readings(complaints, department, (dt.date(2026, 4, 1), 100))
    # Handle time (lower, average), T 5, A 8: (10 + 12)/2 = 11 > 8 -> 50*(2*8 - 11)/8 = 31.25, red.
    handle = metric("handle-time", lower=True, aggregation="avg")
    target(handle, t=5, a=8, department=department)
    readings(handle, department, (dt.date(2026, 1, 10), 10), (dt.date(2026, 2, 10), 12))
    # Backlog (lower, last), T 100, A 200: the March reading (300) is the last, though entered first
    # -> 300 > 200 -> 50*(400 - 300)/200 = 25, red.
    backlog = metric("backlog", lower=True, aggregation="last")
    target(backlog, t=100, a=200, department=department)
    readings(backlog, department, (dt.date(2026, 3, 20), 300), (dt.date(2026, 1, 20), 50))

    card = scorecard_compute(period=Q1, scope="department", department=department, now=now)

    assert (card.tasks_due, card.tasks_on_time, card.tasks_overdue, card.delivery_score) == (4, 3, 1, D(75))
    assert line(card, "Delivery").inputs["overdue_days"] == 10
    assert [(ln.label, ln.value, ln.score, ln.colour) for ln in card.lines.filter(part="metric")] == [
        ("Backlog", D(300), D(25), "red"),
        ("Complaints", D(15), D(75), "amber"),
        ("Handle time", D(11), D("31.25"), "red"),
    ]
    assert "300 > amber 200 → max(0, 50·(2·200 - 300)/200) = 25" in line(card, "Backlog").explanation
    # No movements: growth has no score and drops out.
    assert card.growth_score is None and line(card, "Customer growth").score is None
    # Metrics on their own: (25 + 75 + 31.25)/3 = 43.75.
    assert card.metrics_score == D("43.75")
    # Overall: (2*75 + 25 + 75 + 31.25)/(2 + 1 + 1 + 1) = 281.25/5 = 56.25, amber.
    assert (card.overall_score, card.overall_colour) == (D("56.25"), "amber")
    assert "Left out, no score: Customer growth." in line(card, "Overall").explanation


def test_company_adds_up_departments_and_uses_company_targets_only():
    a, b = factories.DepartmentFactory(name="Sales"), factories.DepartmentFactory(name="Billing")
    now = local(dt.date(2026, 3, 15))
    # Delivery: Sales 2 on time; Billing 1 late, 1 not yet due (31 March, today 15 March), 1 cancelled
    # (not counted) -> due 4, on time 2 -> 0.5 -> 50, amber.
    tasks(a, due=dt.date(2026, 1, 31), done_on=dt.date(2026, 1, 31), n=2)
    tasks(b, due=dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 12))
    tasks(b, due=dt.date(2026, 3, 31))
    tasks(b, due=dt.date(2026, 2, 1), status="cancelled")
    # New customers (sum), company T 30, A 20: 10 + 5 + 8 = 23 -> 50 + 50*3/10 = 65, amber.
    new = metric("new-customers", aggregation="sum")
    target(new, t=30, a=20)
    readings(new, a, (dt.date(2026, 1, 1), 10), (dt.date(2026, 2, 1), 5))
    readings(new, b, (dt.date(2026, 3, 1), 8))
    # CSAT (average), company T 90, A 80 (Sales' own target 95/85 is not the company's):
    # (80 + 90 + 94)/3 = 88 -> 50 + 50*8/10 = 90, amber.
    csat = metric("csat")
    target(csat, t=90, a=80)
    target(csat, t=95, a=85, department=a)
    readings(csat, a, (dt.date(2026, 1, 2), 80), (dt.date(2026, 2, 2), 90))
    readings(csat, b, (dt.date(2026, 1, 3), 94))
    # Accounts (last value, a stock): Sales' last 60 + Billing's last 30 = 90; T 100, A 50
    # -> 50 + 50*40/50 = 90, amber.
    accounts = metric("accounts", aggregation="last")
    target(accounts, t=100, a=50)
    readings(accounts, a, (dt.date(2026, 1, 4), 40), (dt.date(2026, 3, 4), 60))
    readings(accounts, b, (dt.date(2026, 2, 4), 30))
    # NPS, company level (average), T 40, A 20: 30 -> 50 + 50*10/20 = 75, amber.
    nps = metric("nps", level="company")
    target(nps, t=40, a=20)
    readings(nps, None, (dt.date(2026, 2, 6), 30))
    # Brand awareness, company level, no target: a "no target" line, no score.
    awareness = metric("brand-awareness", level="company")
    readings(awareness, None, (dt.date(2026, 2, 7), 55))
    # Growth: Sales gained 5, Billing lost 2, 1 gained with no department -> 6 - 2 = 4 >= 0 -> 100, green.
    moved(a, kind="gained", count=5)
    moved(b, kind="lost", count=2)
    moved(None, kind="gained", count=1)

    card = scorecard_compute(period=Q1, scope="company", now=now)

    assert (card.tasks_due, card.tasks_on_time, card.tasks_late, card.tasks_overdue) == (4, 2, 1, 0)
    assert line(card, "Delivery").inputs["pending"] == 1 and card.delivery_score == D(50)
    assert [(ln.label, ln.value, ln.score) for ln in card.lines.filter(part="metric")] == [
        ("Accounts", D(90), D(90)),
        ("Brand awareness: no target", D(55), None),
        ("Csat", D(88), D(90)),
        ("New customers", D(23), D(65)),
        ("Nps", D(30), D(75)),
    ]
    assert "No target for 2026-Q1: no score (not a zero)" in line(card, "Brand awareness").explanation
    assert "sum of the last totals of 2 departments = 90" in line(card, "Accounts").explanation
    assert (card.customers_gained, card.customers_lost, card.growth_score) == (6, 2, D(100))
    # Metrics: (90 + 90 + 65 + 75)/4 = 80.
    assert card.metrics_score == D(80)
    # Overall: (2*50 + 90 + 90 + 65 + 75 + 2*100)/(2 + 4 + 2) = 620/8 = 77.5, amber.
    assert (card.overall_score, card.overall_colour) == (D("77.5"), "amber")
    assert "Left out, no score: Brand awareness: no target." in line(card, "Overall").explanation


def test_retention_churn_segments_and_loss_reasons(department):
    q2 = Period.parse("2026-Q2")
    strategic = factories.CustomerSegmentFactory(name="Strategic", slug="strategic", rank=1)
    core = factories.CustomerSegmentFactory(name="Core", slug="core", rank=3)
    price = factories.LossReasonFactory(name="Price", slug="price")
    service = factories.LossReasonFactory(name="Service failure", slug="service-failure")
    # Customers at start S = the total on the last date on or before 1 April: 200 (31 March).
    # The segment reading of 2 April and the May reading are in the period: they do not count.
    customers = metric("customers", aggregation="last")
    readings(customers, department, (dt.date(2026, 1, 31), 150), (dt.date(2026, 3, 31), 200))
    readings(customers, department, (dt.date(2026, 5, 15), 190))
    factories.ReadingFactory(metric=customers, department=department, segment=core, date=dt.date(2026, 4, 2))
    # Gained 4 strategic + 6 core = 10; lost 10 strategic (service) + 12 core (price) + 8 core (service) = 30.
    moved(department, kind="gained", count=4, segment=strategic, day=dt.date(2026, 4, 2), revenue=40000, profit=10000)
    moved(department, kind="gained", count=6, segment=core, day=dt.date(2026, 6, 30), revenue=12000, profit=3000)
    lost = {"kind": "lost", "day": dt.date(2026, 5, 1)}
    moved(department, count=10, segment=strategic, reason=service, revenue=100000, profit=30000, **lost)
    moved(department, count=12, segment=core, reason=price, revenue=24000, profit=6000, **lost)
    moved(department, count=8, segment=core, reason=service, revenue=16000, profit=4000, **lost)

    card = scorecard_compute(period=q2, scope="department", department=department, now=local(dt.date(2026, 7, 5)))

    # net = 10 - 30 = -20; E = 200 - 20 = 180; retention = (180 - 10)/200 = 0.85; churn = 30/200 = 0.15.
    growth = line(card, "Customer growth")
    assert (card.customers_gained, card.customers_lost, card.customers_net) == (10, 30, -20)
    assert {k: growth.inputs[k] for k in ("customers_start", "customers_end", "retention_rate", "churn_rate")} == {
        "customers_start": "200",
        "customers_end": "180",
        "retention_rate": "0.85",
        "churn_rate": "0.15",
    }
    # Money: revenue gained 40,000 + 12,000; lost 100,000 + 24,000 + 16,000; profit likewise.
    assert (card.revenue_gained, card.revenue_lost) == (D(52000), D(140000))
    assert (card.profit_gained, card.profit_lost) == (D(13000), D(40000))
    # Growth: 100 * min(1, 10/30) = 33.33, red.
    assert (card.growth_score, growth.colour) == (D("33.33"), "red")
    assert [(ln.label, ln.inputs["net"]) for ln in card.lines.filter(part="segment")] == [
        ("Segment Strategic", 4 - 10),
        ("Segment Core", 6 - 20),
    ]
    # Loss reasons: service failure 10 + 8 = 18 (18/30 = 60%), price 12 (40%).
    assert [(ln.label, ln.inputs["lost"], ln.inputs["share"]) for ln in card.lines.filter(part="loss_reason")] == [
        ("Loss reason 1: Service failure", 18, "0.6"),
        ("Loss reason 2: Price", 12, "0.4"),
    ]
    # The customers metric has no target: no score. Delivery: no tasks due: no score.
    # Overall = growth alone: 2*33.33/2 = 33.33, red.
    assert line(card, "Customers: no target").score is None and card.delivery_score is None
    assert (card.overall_score, card.overall_colour) == (D("33.33"), "red")
    # The May count (190) disagrees with the ledger: 200 + 4 gained - 30 lost by 15 May = 174.
    check = card.lines.get(part="check")
    assert (check.label, check.value) == ("Customers: ledger and count differ by 16", D(16))
    assert line(card, "Customers: segment Core").part == "breakdown"


def test_owner_scorecard_is_delivery_across_departments(department, other_department, owner):
    now = local(dt.date(2026, 3, 20))
    long_ago = local(dt.date(2026, 1, 10))
    # On time: due 15 Jan, done 15 Jan at 23:00 local time.
    tasks(
        department, owner=owner, due=dt.date(2026, 1, 15), status="done", completed_at=local(dt.date(2026, 1, 15), 23)
    )
    # Late: due 1 Feb, done 3 Feb (another department: owners are measured across departments).
    tasks(other_department, owner=owner, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 3))
    # Overdue 10 days (20 - 10 March) and stale: last check-in 1 March, status unchanged since January.
    stale = tasks(department, owner=owner, due=dt.date(2026, 3, 10), status="in_progress", status_changed_at=long_ago)[
        0
    ]
    factories.CheckInFactory(task=stale, date=dt.date(2026, 3, 1))
    # Overdue 5 days (20 - 15 March) and blocked.
    tasks(other_department, owner=owner, due=dt.date(2026, 3, 15), status="blocked", status_changed_at=long_ago)
    # Not yet due; not stale: status changed 2 days ago / a check-in 10 days ago (14 allowed).
    tasks(
        department,
        owner=owner,
        due=dt.date(2026, 3, 31),
        status="in_progress",
        status_changed_at=local(dt.date(2026, 3, 18)),
    )
    recent = tasks(department, owner=owner, due=dt.date(2026, 3, 25), status="in_progress", status_changed_at=long_ago)[
        0
    ]
    factories.CheckInFactory(task=recent, date=dt.date(2026, 3, 10))
    # Not this owner's, or not this quarter: left out. Movements never count for an owner.
    tasks(department, due=dt.date(2026, 2, 1), done_on=dt.date(2026, 2, 1))
    tasks(department, owner=owner, due=dt.date(2026, 4, 1))
    moved(department, kind="lost", count=3)

    card = scorecard_compute(period=Q1, scope="owner", owner=owner, now=now)

    # Due 6: on time 1, late 1, overdue 2 (10 + 5 = 15 days late), blocked 1, stale 1, not yet due 2.
    assert (card.tasks_due, card.tasks_on_time, card.tasks_late, card.tasks_overdue) == (6, 1, 1, 2)
    assert (card.tasks_blocked, card.tasks_stale) == (1, 1)
    delivery = line(card, "Delivery")
    assert (delivery.inputs["overdue_days"], delivery.inputs["pending"]) == (15, 2)
    # On-time rate 1/6 = 0.1667 -> delivery 16.67, red; overall is delivery alone.
    assert (card.on_time_rate, card.delivery_score) == (D("0.1667"), D("16.67"))
    assert (card.overall_score, card.overall_colour) == (D("16.67"), "red")
    assert card.customers_lost == 0 and card.growth_score is None and card.metrics_score is None
    assert "not per owner" in line(card, "Metrics and customer growth: not measured").explanation
    assert [ln.part for ln in card.lines.all()] == ["delivery", "say_do", "metric", "overall"]


def test_month_targets_red_scores_zero_amber_and_custom_weights(department):
    february = Period.parse("2026-02")
    ScorecardSettings.objects.create(delivery_weight=1, growth_weight=0)
    # Delivery: 1 due, on time -> 100, green.
    tasks(department, due=dt.date(2026, 2, 20), done_on=dt.date(2026, 2, 19))
    # First response (higher, average, weight 3), February T 80, A 60: (20 + 40)/2 = 30 < 60
    # -> 50*30/60 = 25, red.
    response = metric("first-response", weight=3)
    target(response, t=80, a=60, department=department, start=february.start, kind="month")
    readings(response, department, (dt.date(2026, 2, 1), 20), (dt.date(2026, 2, 28), 40))
    # Margin (higher, sum), T 10, A 0: -3 + 1 = -2 < 0, and A <= 0 -> 0, red.
    margin = metric("margin", aggregation="sum")
    Metric.objects.filter(pk=margin.pk).update(min_value=None)  # a margin may be negative: no floor
    target(margin, t=10, a=0, department=department, start=february.start, kind="month")
    readings(margin, department, (dt.date(2026, 2, 2), -3), (dt.date(2026, 2, 3), 1))
    # Uptime has a quarter target only: no target for the month, no score.
    uptime = metric("uptime", aggregation="last")
    target(uptime, t=99, a=95, department=department)
    readings(uptime, department, (dt.date(2026, 2, 4), "99.5"))
    # Growth: gained 3, lost 1 -> net 2 -> 100, but its weight is 0.
    moved(department, kind="gained", count=3)
    moved(department, kind="lost", count=1)

    card = scorecard_compute(period=february, scope="department", department=department, now=local(dt.date(2026, 3, 2)))

    assert [(ln.label, ln.value, ln.score, ln.colour) for ln in card.lines.filter(part="metric")] == [
        ("First response", D(30), D(25), "red"),
        ("Margin", D(-2), D(0), "red"),
        ("Uptime: no target", D("99.5"), None, ""),
    ]
    assert (card.delivery_score, card.growth_score) == (D(100), D(100))
    # Metrics: (3*25 + 1*0)/4 = 18.75.
    assert card.metrics_score == D("18.75")
    # Overall: (1*100 + 3*25 + 1*0 + 0*100)/(1 + 3 + 1 + 0) = 175/5 = 35, red.
    assert (card.overall_score, card.overall_colour) == (D(35), "red")
