"""Every review page and export, as every role, over data with all the awkward cases real data has.

The data: tasks without an owner; tasks due in year 1 and year 9999 (done, overdue, blocked); an
initiative without tasks; a department without head, tasks or readings; company-level readings and
movements; a metric without readings and one without a target; a period with a single snapshot;
scorecards with a line of every part and with empty scores and values. Each case is
`page-role`, so a failure names both.
"""

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from accountability.models import Scorecard, ScorecardLine
from customers.models import Metric
from roadmap.models import Health, Task
from tests import factories

pytestmark = pytest.mark.django_db
Part = ScorecardLine.Part
Q2, Q1 = dt.date(2026, 4, 1), dt.date(2026, 1, 1)
YEAR_1, YEAR_9999 = dt.date(1, 1, 1), dt.date(9999, 12, 31)
RAW_DECIMAL = re.compile(r"\d\.\d{5,}")  # what an unformatted Decimal(…, 4+ places) looks like


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC), tick=False):
        yield


def _tasks(service, billing, owner, initiative) -> dict[str, Task]:
    task = factories.TaskFactory
    common = {"initiative": initiative, "department": service}
    tasks = {
        "unowned overdue": task(title="Nobody's overdue", owner=None, due_date=dt.date(2026, 5, 1), **common),
        "unowned blocked": task(title="Nobody's blocked", owner=None, status=Task.Status.BLOCKED, **common),
        "year 1 overdue": task(title="Due in year 1", owner=None, due_date=YEAR_1, **common),
        "year 1 done": task(title="Done in year 1", owner=owner, due_date=YEAR_1, status=Task.Status.DONE, **common),
        "year 9999 blocked": task(
            title="Blocked until 9999", owner=None, due_date=YEAR_9999, status=Task.Status.BLOCKED, **common
        ),
        "year 9999 done": task(
            title="Done by 9999", owner=owner, due_date=YEAR_9999, status=Task.Status.DONE, **common
        ),
        "billing": task(title="Billing waits", initiative=initiative, department=billing, owner=None),
    }
    tasks["billing"].depends_on.add(tasks["year 1 overdue"])  # a late hand-off across the centuries
    tasks["year 9999 blocked"].depends_on.add(tasks["billing"])
    return tasks


def _metrics(service):
    pct = factories.MetricFactory(code="fcr", name="First-contact resolution", unit="%")
    untargeted = factories.MetricFactory(code="onboarding-days", name="Days to onboard", unit="days")
    unread = factories.MetricFactory(code="invoice-accuracy", name="Invoice accuracy", unit="%")
    revenue = factories.MetricFactory(
        code="revenue", name="Revenue", unit="GBP", aggregation=Metric.Aggregation.SUM, level=Metric.Level.COMPANY
    )
    customers = factories.MetricFactory(
        code="customers", name="Customers", unit="customers", aggregation="last", level=Metric.Level.COMPANY
    )
    segment = factories.CustomerSegmentFactory(name="Enterprise", rank=1)
    factories.TargetFactory(metric=pct, department=service, period_start=Q2)
    factories.TargetFactory(metric=unread, department=service, period_start=Q2)  # a target, no readings
    factories.ReadingFactory(metric=pct, department=service, date=dt.date(2026, 4, 3), value=Decimal("77.9412"))
    factories.ReadingFactory(metric=untargeted, department=service, date=dt.date(2026, 4, 3), value=12)
    factories.ReadingFactory(metric=revenue, department=None, date=dt.date(2026, 4, 30), value=Decimal("895115.76"))
    factories.ReadingFactory(metric=customers, department=None, date=dt.date(2026, 4, 30), value=4594)
    move = factories.CustomerMovementFactory
    move(segment=segment, department=None, date=dt.date(2026, 4, 2), count=3, profit=Decimal("1234567.891"))
    move(segment=segment, department=None, date=dt.date(2026, 4, 9), kind="lost", count=2)
    move(segment=segment, department=service, date=dt.date(2026, 5, 9), kind="lost", count=1)
    return SimpleNamespace(pct=pct, untargeted=untargeted, revenue=revenue, customers=customers)


def _lines(card, metrics) -> dict[str, ScorecardLine]:
    """One line of every part, several of them without value or score."""
    line = factories.ScorecardLineFactory
    rows = [
        (Part.DELIVERY, "Delivery", {"value": Decimal("0.7794"), "score": Decimal("77.94"), "weight": 2}),
        (Part.SAY_DO, "Say/do", {"value": None}),
        (Part.HANDOFF, "Hand-off rate", {"value": Decimal("0.3333")}),
        (Part.TASK_FORCE, "Participation", {"value": Decimal("0.1500")}),
        (Part.METRIC, "Revenue", {"metric": metrics.revenue, "value": Decimal("895115.7600"), "weight": 1}),
        (Part.BREAKDOWN, "Revenue: segment Enterprise", {"metric": metrics.revenue, "value": Decimal("80991.79")}),
        (Part.METRIC, "Days to onboard: no target", {"metric": metrics.untargeted, "value": None}),
        (Part.METRIC, "Customers", {"metric": metrics.customers, "value": Decimal("4594.0000"), "score": None}),
        (Part.CHECK, "Customers: ledger and count differ by 3", {"metric": metrics.customers, "value": 3}),
        (Part.GROWTH, "Customer growth", {"value": Decimal(-1), "score": None, "weight": 2}),
        (Part.SEGMENT, "Segment Enterprise", {"value": None}),
        (Part.LOSS_REASON, "Loss reason 1: Price", {"value": Decimal(2)}),
        (Part.OVERALL, "Overall", {"value": None, "score": None, "weight": None}),
    ]
    made = {}
    for position, (part, label, fields) in enumerate(rows):
        value = fields.get("value")
        inputs = {
            "value": None if value is None else str(value),
            "revenue_gained": "2595.43000000000",
            "share": "0.6667",
        }
        made.setdefault(part, line(scorecard=card, position=position, part=part, label=label, inputs=inputs, **fields))
    return made


@pytest.fixture
def awkward(department, other_department, owner, cco_staff):
    """The awkward data set; `department` (Service) holds the busy cases, `empty` holds nothing."""
    empty = factories.DepartmentFactory(name="Empty", slug="empty", head=None)
    roadmap = factories.RoadmapFactory(status="active")
    initiative = factories.InitiativeFactory(roadmap=roadmap, title="Busy", health=Health.RED, status="active")
    bare = factories.InitiativeFactory(roadmap=roadmap, title="No tasks at all", health=Health.AMBER, status="active")
    _tasks(department, other_department, owner, initiative)
    metrics = _metrics(department)
    company = factories.ScorecardFactory(scope=Scorecard.Scope.COMPANY, department=None, period_start=Q2)
    service = factories.ScorecardFactory(
        department=department, period_start=Q2, overall_score=Decimal("61.25"), overall_colour="amber",
        change=Decimal("-3.5"), revenue_gained=Decimal("895115.76000000000"), profit_lost=Decimal("12.5"),
    )  # fmt: skip
    factories.ScorecardFactory(department=empty, period_start=Q1)  # 2026-Q1: this one snapshot only
    factories.RecognitionFactory(giver=cco_staff, recipient=owner, task=None, initiative=bare)
    return SimpleNamespace(
        empty=empty,
        initiative=initiative,
        bare=bare,
        company_lines=_lines(company, metrics),
        service_lines=_lines(service, metrics),
    )


def _line(part):
    return lambda d: reverse("admin:review_line", args=[d.company_lines[part].pk])


def _export(kind, fmt, **query):
    return lambda d: (
        reverse(f"admin:review_{kind}_export", args=[fmt]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    )


PAGES = {
    "admin index": lambda d: reverse("admin:index"),
    "dashboard": lambda d: reverse("admin:review_dashboard"),
    "dashboard, one snapshot only": lambda d: reverse("admin:review_dashboard") + "?period=2026-Q1",
    "dashboard, a month": lambda d: reverse("admin:review_dashboard") + "?period=2026-05",
    "dashboard, year 1": lambda d: reverse("admin:review_dashboard") + "?period=0001-Q1",
    "dashboard, year 9999": lambda d: reverse("admin:review_dashboard") + "?period=9999-Q4",
    "compare": lambda d: reverse("admin:review_compare"),
    "compare, one snapshot only": lambda d: reverse("admin:review_compare") + "?a=2026-Q1&b=2026-Q2",
    "compare, years 1 and 9999": lambda d: reverse("admin:review_compare") + "?a=0001-Q1&b=9999-Q4",
    "compare, month with quarter": lambda d: reverse("admin:review_compare") + "?a=2026-01&b=2026-Q2",
    "department": lambda d: reverse("admin:review_department", args=["service"]),
    "department, no snapshot": lambda d: reverse("admin:review_department", args=["billing"]),
    "department, empty": lambda d: reverse("admin:review_department", args=["empty"]),
    "department, one snapshot only": lambda d: reverse("admin:review_department", args=["empty"]) + "?period=2026-Q1",
    "department, year 9999": lambda d: reverse("admin:review_department", args=["service"]) + "?period=9999-Q4",
    **{f"line, {part.label}": _line(part) for part in Part},
    "department line": lambda d: reverse("admin:review_line", args=[d.service_lines[Part.CHECK].pk]),
    "roadmap grid": lambda d: reverse("admin:review_roadmap"),
    "timeline": lambda d: reverse("admin:review_timeline", args=[d.initiative.pk]),
    "timeline, no tasks": lambda d: reverse("admin:review_timeline", args=[d.bare.pk]),
    "scorecard pdf": _export("scorecard", "pdf"),
    "scorecard pdf, one snapshot only": _export("scorecard", "pdf", period="2026-Q1"),
    "scorecard pdf, department": _export("scorecard", "pdf", department="service"),
    "scorecard pdf, empty department": _export("scorecard", "pdf", department="empty"),
    "scorecard pdf, year 1": _export("scorecard", "pdf", period="0001-Q1"),
    "scorecard csv": _export("scorecard", "csv"),
    "scorecard csv, one snapshot only": _export("scorecard", "csv", period="2026-Q1"),
    "scorecard csv, department": _export("scorecard", "csv", department="service"),
    "scorecard csv, empty department": _export("scorecard", "csv", department="empty"),
    "scorecard csv, year 9999": _export("scorecard", "csv", period="9999-Q4", department="service"),
    "tasks csv": _export("tasks", "csv"),
    "tasks csv, blocked": _export("tasks", "csv", status="blocked"),
    "tasks xlsx": _export("tasks", "xlsx"),
    "tasks xlsx, empty department": _export("tasks", "xlsx", department="empty"),
    "import": lambda d: reverse("admin:review_import"),
}
ROLES = ("cco_staff", "executive", "head", "owner")
# docs/review.md: every role opens the review pages; only CCO staff and heads import. A period outside
# the years 1900 to 2200 is a 400 naming the parameter (docs/security.md); the pages still render the
# tasks due in year 1 and 9999 that the data holds. So is comparing a month with a quarter.
REFUSED = {("import", "executive"): 403, ("import", "owner"): 403}
BAD_REQUEST = tuple(name for name in PAGES if "year 1" in name or "year 9999" in name or "years 1 and" in name)
BAD_REQUEST += ("compare, month with quarter",)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_review_page_and_export_renders_awkward_data(client, awkward, request, page, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(PAGES[page](awkward))
    assert response.status_code == REFUSED.get((page, role), 400 if page in BAD_REQUEST else 200)
    if response.status_code == 200 and not response["Content-Type"].startswith(("application/", "text/csv")):
        text = response.content.decode()
        assert not RAW_DECIMAL.search(text), RAW_DECIMAL.search(text)
        assert ">None<" not in text


@pytest.mark.parametrize("page", PAGES)
def test_review_pages_send_anonymous_visitors_to_the_login(client, awkward, page):
    response = client.get(PAGES[page](awkward))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("role", "status"), [("cco_staff", 302), ("executive", 403), ("head", 403), ("owner", 403)])
def test_recompute_over_awkward_data(client, awkward, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.post(reverse("admin:review_recompute") + "?period=2026-Q2").status_code == status


def test_unowned_tasks_say_so_and_old_and_far_dates_are_iso(client, awkward, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:review_department", args=["service"])).content.decode()
    overdue = page[page.index('id="overdue"') : page.index('id="blocked"')]
    assert "Nobody&#x27;s overdue" in overdue and "no owner (department head)" in overdue
    assert "0001-01-01" in overdue and "9999-12-31" in page[page.index('id="blocked"') :]
    assert "Overdue now" in page
    head = client.get(reverse("admin:review_department", args=["empty"])).content.decode()
    assert "<div>Head</div><div>nobody</div>" in head


def test_check_lines_warn_and_breakdowns_sit_under_their_metric(client, awkward, executive):
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard")).content.decode()
    assert 'class="warning ledger-check"' in page and "Ledger check: Customers: ledger and count differ by 3" in page
    lines = page[page.index('id="lines"') :]
    assert lines.index(">Revenue<") < lines.index('class="part-breakdown"') < lines.index("Days to onboard")
    assert '<td class="num">£895,115.76</td>' in lines and '<td class="num">£80,991.79</td>' in lines
    assert '<td class="num">77.9 %</td>' in lines  # delivery: the on-time share
    assert '<td class="num">4,594 customers</td>' in lines
    assert "Overdue, of tasks due in 2026-Q2" in page


def _pdf_words(body: bytes) -> str:
    """The text an uncompressed reportlab PDF shows, in order, in the Latin-1 of its standard fonts."""
    shown = re.findall(rb"\((.*?)\) Tj", body)
    text = b" ".join(shown).replace(b"\\(", b"(").replace(b"\\)", b")")
    return re.sub(rb"\\(\d{3})", lambda m: bytes([int(m[1], 8)]), text).decode("cp1252")


def test_the_board_pack_prints_money_with_its_currency_and_no_raw_decimals(client, awkward, executive, settings):
    settings.CCO_CURRENCY = "EUR"
    client.force_login(executive)
    text = _pdf_words(client.get(_export("scorecard", "pdf", department="service")(awkward)).content)
    assert "Revenue gained / lost €895,115.76 / €0.00" in text
    assert "£80,991.79" in text  # a metric whose unit names a currency keeps it
    assert not RAW_DECIMAL.search(text) and "2026-04-01 to 2026-06-30" in text
    assert "Warning: Customers: ledger and count differ by 3" in " ".join(text.split())
