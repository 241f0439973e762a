"""The review meeting pack: one page and PDF per department and period, and the company's.

Today is 20 May 2026; the pack is for 2026-Q2. Service is accountable for "Service failure"
(5 + 2 customers lost in Q2, £3,000 profit each line); "Price" has no owner (4 lost). Billing's
task waits on Service's "Fix the queue", due 10 April and still open: a late hand-off, 40 days
overdue. Service moved "Fix the queue" once (+30 days, "Supplier late"); its first-contact
resolution is red on its Q2 scorecard; "Better first calls" runs with Service in Q2; an owner of
Service was thanked in Q2.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Scorecard, ScorecardLine
from roadmap.models import Initiative, Task
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
Q2 = dt.date(2026, 4, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _url(department=None, pdf=False) -> str:
    if department is None:
        name = "admin:review_meeting_pack_pdf" if pdf else "admin:review_meeting_pack"
        return reverse(name) + "?period=2026-Q2"
    name = "admin:review_meeting_pack_department_pdf" if pdf else "admin:review_meeting_pack_department"
    return reverse(name, args=[department.slug]) + "?period=2026-Q2"


def _grow(department, other_department, owner, cco_staff, n: int, suffix: str = "") -> None:
    """n more of everything the pack shows, in both departments."""
    for i in range(n):
        tag = f"{suffix}{i}"
        for dep in (department, other_department):
            reason = factories.LossReasonFactory(name=f"Reason {dep.slug} {tag}", department=dep)
            factories.CustomerMovementFactory(kind="lost", loss_reason=reason, department=dep, date=dt.date(2026, 4, 9))
            factories.CustomerMovementFactory(kind="gained", department=dep, date=dt.date(2026, 5, 9), count=2)
            initiative = factories.InitiativeFactory(
                title=f"Work {dep.slug} {tag}",
                status=Initiative.Status.ACTIVE,
                start_date=Q2,
                end_date=dt.date(2026, 9, 30),
            )
            factories.InitiativeDepartmentFactory(initiative=initiative, department=dep)
            initiative.loss_reasons.add(reason)
            metric = factories.MetricFactory(code=f"m-{dep.slug}-{tag}")
            factories.InitiativeExpectationFactory(
                initiative=initiative, metric=metric, expected_value=90, by_date=dt.date(2026, 9, 30)
            )
            factories.ReadingFactory(metric=metric, department=dep, date=dt.date(2026, 2, 1), value=60)
            awaited = factories.TaskFactory(
                initiative=initiative, department=dep, owner=owner, due_date=dt.date(2026, 4, 11)
            )
            other = other_department if dep == department else department
            waiting = factories.TaskFactory(initiative=initiative, department=other, owner=owner)
            waiting.depends_on.add(awaited)
            factories.SlipFactory(task=awaited, reason=f"Reason {tag}")
            factories.RecognitionFactory(task=awaited, giver=cco_staff, recipient=owner, note=f"Thanks {tag}")
            card = Scorecard.objects.filter(department=dep, period_start=Q2).first()
            card = card or factories.ScorecardFactory(department=dep, period_start=Q2)
            factories.ScorecardLineFactory(
                scorecard=card, part=ScorecardLine.Part.METRIC, label=metric.name, metric=metric, colour="red", score=20
            )


@pytest.fixture
def pack(department, other_department, owner, cco_staff):
    failure = factories.LossReasonFactory(name="Service failure", department=department)
    price = factories.LossReasonFactory(name="Price", department=None)
    for count in (5, 2):
        factories.CustomerMovementFactory(
            kind="lost",
            loss_reason=failure,
            count=count,
            profit=Decimal(3000),
            department=department,
            date=dt.date(2026, 4, 20),
        )
    factories.CustomerMovementFactory(
        kind="lost", loss_reason=price, count=4, profit=Decimal(1000), date=dt.date(2026, 5, 2)
    )
    factories.CustomerMovementFactory(kind="gained", count=9, profit=Decimal(2500), date=dt.date(2026, 5, 3))
    better = factories.InitiativeFactory(
        title="Better first calls", status=Initiative.Status.ACTIVE, start_date=Q2, end_date=dt.date(2026, 6, 30)
    )
    factories.InitiativeDepartmentFactory(initiative=better, department=department)
    better.loss_reasons.add(failure)
    fcr = factories.MetricFactory(code="first-contact-resolution", name="First-contact resolution")
    factories.InitiativeExpectationFactory(
        initiative=better, metric=fcr, expected_value=80, by_date=dt.date(2026, 6, 30)
    )
    factories.ReadingFactory(metric=fcr, department=department, date=dt.date(2026, 2, 10), value=71)
    factories.ReadingFactory(metric=fcr, department=department, date=dt.date(2026, 5, 10), value=74)
    queue = factories.TaskFactory(
        title="Fix the queue", initiative=better, department=department, owner=owner, due_date=dt.date(2026, 4, 10)
    )
    waiting = factories.TaskFactory(title="Send the invoices", initiative=better, department=other_department)
    waiting.depends_on.add(queue)
    factories.SlipFactory(
        task=queue, reason="Supplier late", from_date=dt.date(2026, 4, 10), to_date=dt.date(2026, 5, 10)
    )
    Task.objects.filter(pk=queue.pk).update(due_date=dt.date(2026, 4, 10))  # the slip is waiting: the date holds
    card = factories.ScorecardFactory(department=department, period_start=Q2)
    factories.ScorecardLineFactory(
        scorecard=card,
        part=ScorecardLine.Part.METRIC,
        label=fcr.name,
        metric=fcr,
        value=62,
        score=Decimal(30),
        colour="red",
    )
    factories.RecognitionFactory(task=queue, giver=cco_staff, recipient=owner, note="Stayed late for a customer")
    return {"failure": failure, "queue": queue}


@pytest.mark.parametrize(
    ("role", "slug"),
    [
        ("cco_staff", "service"),
        ("cco_staff", "billing"),
        ("executive", "service"),
        ("executive", "billing"),
        ("head", "service"),
        ("other_head", "billing"),
    ],
)
def test_the_pack_renders_for_each_department_as_each_role_that_may_see_it(client, request, pack, role, slug):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:review_meeting_pack_department", args=[slug]) + "?period=2026-Q2")
    assert response.status_code == 200
    page = response.content.decode()
    name = "Service" if slug == "service" else "Billing"
    for question in (
        f"Which customers did {name} lose, and why?",
        f"Why were {name}&#x27;s hand-offs late?",
        f"Why did {name}&#x27;s due dates move?",
        "What will bring the red metrics back?",
        f"Did {name}&#x27;s initiatives move what they promised?",
        f"Whose customer work should the meeting thank in {name}?",
    ):
        assert question in page


def test_the_service_pack_prepares_each_question_from_the_data(client, pack, head):
    client.force_login(head)
    page = client.get(_url(pack["queue"].department)).content.decode()

    def section(key):
        part = page[page.index(f'id="{key}"') :]
        return part[: part.index("</section>")]

    lost = section("lost")
    assert "7 customers lost in 2026-Q2" in lost and "£6,000.00" in lost and "Better first calls" in lost
    assert "Price" not in lost  # owned by no one, so on the company's pack
    assert "Billing: Send the invoices" in section("hand-offs") and "still open, 40 days overdue" in section(
        "hand-offs"
    )
    assert "Supplier late" in section("slips") and "+30 days" in section("slips")
    assert "First-contact resolution" in section("red-metrics") and "30.0" in section("red-metrics")
    follow = section("follow-through")
    assert "expected 80.0 % by 2026-06-30; was 71.0 % (2026-Q1), now 74.0 % (2026-Q2)" in follow
    assert "Stayed late for a customer" in section("recognitions")


def test_the_company_pack_opens_with_customers_in_out_and_net(client, pack, executive):
    client.force_login(executive)
    page = client.get(_url()).content.decode()
    opening = page[page.index('id="opening"') :]
    opening = opening[: opening.index("</div>\n</div>") if "</div>\n</div>" in opening else 2000]
    # in 9 (£2,500), out 5 + 2 + 4 = 11 (£3,000 + £3,000 + £1,000), net -2 (-£4,500)
    for figure in ("Customers in (gained)", ">9<", "£2,500.00", ">11<", "£7,000.00", ">-2<", "-£4,500.00"):
        assert figure in opening
    reasons = page[page.index('id="top-loss-reasons"') :]
    assert "no owner" in reasons and "Who owns it?" in reasons


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("head", "billing", 403),
        ("other_head", "service", 403),
        ("owner", "service", 403),
        ("owner", "billing", 403),
        ("owner", "company", 403),
        ("head", "company", 403),
        ("other_head", "company", 403),
        ("cco_staff", "nowhere", 404),
        ("head", "nowhere", 404),
    ],
)
@pytest.mark.parametrize("pdf", [False, True])
def test_those_who_may_not_see_a_pack_get_403_or_404(
    client, request, pack, other_department, role, target, status, pdf
):
    client.force_login(request.getfixturevalue(role))
    department = {"service": pack["queue"].department, "billing": other_department, "company": None}.get(target)
    url = (
        _url(department, pdf)
        if target != "nowhere"
        else reverse("admin:review_meeting_pack_department", args=["nowhere"])
    )
    assert client.get(url).status_code == status


@pytest.mark.parametrize("pdf", [False, True])
def test_anonymous_is_sent_to_log_in(client, pack, pdf):
    response = client.get(_url(pack["queue"].department, pdf))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_the_pdf_is_a_pdf_with_the_department_and_its_questions(client, pack, executive):
    client.force_login(executive)
    response = client.get(_url(pack["queue"].department, pdf=True))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Service: meeting pack 2026-Q2" in response.content and b"Supplier late" in response.content
    company = client.get(_url(pdf=True))
    assert company.content.startswith(b"%PDF") and b"Company: meeting pack 2026-Q2" in company.content


def test_a_bad_period_names_the_parameter(client, pack, executive):
    client.force_login(executive)
    response = client.get(reverse("admin:review_meeting_pack") + "?period=2026-Q9")
    assert response.status_code == 400 and "period:" in response.content.decode()
    pdf = client.get(reverse("admin:review_meeting_pack_pdf") + "?period=soon")
    assert pdf.status_code == 400 and pdf.content.decode().startswith("period:")


@pytest.mark.parametrize(
    ("role", "page", "link"),
    [
        ("executive", "dashboard", "company"),
        ("cco_staff", "department", "service"),
        ("head", "dashboard", "service"),
        ("head", "department", "service"),
        ("owner", "dashboard", None),
        ("owner", "department", None),
    ],
)
def test_the_dashboard_and_department_review_link_to_the_pack_a_reader_may_see(client, request, pack, role, page, link):
    client.force_login(request.getfixturevalue(role))
    department = pack["queue"].department
    url = (
        reverse("admin:review_dashboard")
        if page == "dashboard"
        else reverse("admin:review_department", args=[department.slug])
    )
    html = client.get(url + "?period=2026-Q2").content.decode()
    company, own = (
        reverse("admin:review_meeting_pack"),
        reverse("admin:review_meeting_pack_department", args=["service"]),
    )
    assert (f'href="{company}?period=2026-Q2"' in html) is (link == "company")
    assert (f'href="{own}?period=2026-Q2"' in html) is (link == "service")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("cco_staff", "service"),
        ("executive", "service"),
        ("head", "service"),
        ("cco_staff", "company"),
        ("executive", "company"),
        ("executive", "service pdf"),
        ("executive", "company pdf"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(
    client, request, pack, department, other_department, owner, cco_staff, role, target
):
    client.force_login(request.getfixturevalue(role))
    url = _url(None if target.startswith("company") else department, pdf=target.endswith("pdf"))
    _grow(department, other_department, owner, cco_staff, 1, "a")
    small = _count(client, url)
    _grow(department, other_department, owner, cco_staff, 4, "b")
    assert Initiative.objects.count() == 1 + 2 * 5  # the data really grew
    assert _count(client, url) == small
