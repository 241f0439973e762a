"""An owner's accountability report: figures worked out by hand and equal to the owner scorecard's,
who may see it, its CSV and PDF, and a fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from accountability.models import Recognition
from accountability.owner_report import owner_report_get
from accountability.scorecards.services import scorecard_compute
from core.periods import Period
from tests import factories
from tests.accountability.scorecard_data import line, local, metric, target
from tests.review.test_exports import pdf_text

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2026-Q1")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(local(dt.date(2026, 3, 20)), tick=False):
        yield


def _task(owner, department, initiative, due, **state):
    done_on = state.pop("done_on", None)
    if done_on is not None:
        state.update(status="done", completed_at=local(done_on))
    return factories.TaskFactory(owner=owner, department=department, initiative=initiative, due_date=due, **state)


@pytest.fixture
def work(owner, head, department, other_department):
    """The owner's Q1 (today 20 March), by hand:

    - due 4 (t5 cancelled, another owner's task left out): t1 on time, t2 late, t3 overdue, t4 not yet due;
      on-time rate 1/4 = 25.0 %, delivery 25.0;
    - promises in Q1: t1 (10 Feb, kept), t2 (20 Feb, slipped once by 13 days to 5 Mar, done 8 Mar), t3
      (10 Mar, open): 1 of 3 kept = 33.3 %, 1 slip, 13 days;
    - hand-offs given: Billing waits on t1 (on time) and t3 (overdue): 1 of 2 = 50.0 %; Service's own
      task waiting on t2 is no hand-off;
    - pledged to A by Service, January to March = 3 pledge-months; a check-in in January and A's
      meeting in March: 2 = 66.7 %;
    - recognitions: the head's on 1 February counts, one from December does not;
    - metrics: A moves FCR (the company's Q1 value 76, score 80.0, amber); B's metric is left out,
      the owner's only task there is cancelled.
    """
    fcr, nps = metric("fcr"), metric("nps-like")
    target(fcr, t=80, a=70)
    factories.ReadingFactory(metric=fcr, department=department, date=dt.date(2026, 2, 1), value=76)
    a = factories.InitiativeFactory(
        title="Fix onboarding", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    a.metrics.add(fcr)
    b = factories.InitiativeFactory(title="Win back", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    b.metrics.add(nps)
    t1 = _task(owner, department, a, dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 9))
    t2 = _task(
        owner, department, a, dt.date(2026, 3, 5), done_on=dt.date(2026, 3, 8),
        promised_date=dt.date(2026, 2, 20), slip_count=1,
    )  # fmt: skip
    t3 = _task(owner, department, a, dt.date(2026, 3, 10), status="in_progress")
    _task(owner, department, a, dt.date(2026, 3, 31))
    _task(owner, department, b, dt.date(2026, 2, 1), status="cancelled")
    _task(factories.TaskOwnerFactory(), department, b, dt.date(2026, 2, 1))
    billing = _task(other_department.head, other_department, a, dt.date(2026, 6, 1))
    billing.depends_on.add(t1, t3)
    _task(head, department, a, dt.date(2026, 6, 1)).depends_on.add(t2)
    factories.PledgeFactory(initiative=a, department=department, person=owner)
    factories.CheckInFactory(task=t1, author=owner, date=dt.date(2026, 1, 15))
    factories.MeetingFactory(initiative=a, date=dt.date(2026, 3, 2), attendees=[owner])
    kept = factories.RecognitionFactory(giver=head, recipient=owner, task=t1, note="Saved the Acme account.")
    old = factories.RecognitionFactory(giver=head, recipient=owner, task=t1, note="Last year's.")
    Recognition.objects.filter(pk=kept.pk).update(created_at=local(dt.date(2026, 2, 1)))
    Recognition.objects.filter(pk=old.pk).update(created_at=local(dt.date(2025, 12, 15)))
    scorecard_compute(period=Q1, scope="company")
    return a


def _get(client, user, owner, name="admin:review_owner_report", *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=[owner.pk, *args]), {"period": "2026-Q1", **params})


def test_the_report_figures_are_worked_out_by_hand(client, owner, work):
    response = _get(client, owner, owner)
    assert response.status_code == 200
    figures = dict(response.context["figures"])
    assert {k: figures[k] for k in ("Tasks due", "Done on time", "Done late", "Overdue on 2026-03-20")} == {
        "Tasks due": "4",
        "Done on time": "1",
        "Done late": "1",
        "Overdue on 2026-03-20": "1",
    }
    assert (figures["Not yet due"], figures["On-time rate"], figures["Delivery score"]) == ("1", "25.0 %", "25.0")
    assert (figures["Promises falling in the period"], figures["Promises kept"]) == ("3", "1")
    assert (figures["Say/do rate"], figures["Slips"], figures["Days slipped"]) == ("33.3 %", "1", "13")
    assert (figures["Hand-offs given, due"], figures["Hand-offs given on time"]) == ("2", "1")
    assert figures["Hand-off rate"] == "50.0 %"
    assert (figures["Pledge-months"], figures["Pledge-months taken part in"]) == ("3", "2")
    assert (figures["Participation"], figures["Recognitions received"]) == ("66.7 %", "1")
    assert response.context["metrics"] == [["Fcr", "Fix onboarding", "76", "80.0", "Amber"]]
    page = response.content.decode()
    assert "Saved the Acme account." in page and "Last year" not in page


def test_the_report_agrees_with_the_owner_scorecard(client, owner, work):
    card = scorecard_compute(period=Q1, scope="owner", owner=owner)
    report = _get(client, owner, owner).context["report"]
    delivery = report.delivery
    assert (delivery.due, delivery.on_time, delivery.late, delivery.overdue) == (
        card.tasks_due,
        card.tasks_on_time,
        card.tasks_late,
        card.tasks_overdue,
    )
    assert (delivery.blocked, delivery.stale) == (card.tasks_blocked, card.tasks_stale)
    assert delivery.score == card.delivery_score
    say_do = line(card, "Say/do").inputs
    assert (delivery.promised, delivery.kept, delivery.slips, delivery.slip_days) == (
        say_do["promised"],
        say_do["kept"],
        say_do["slips"],
        say_do["slip_days"],
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("head", 200),  # heads the owner's department
        ("cco_staff", 200),
        ("executive", 200),
        ("other_head", 403),  # heads another department
        ("colleague", 403),  # a task owner in the same department
    ],
)
@pytest.mark.parametrize("page", [(), ("csv",), ("pdf",)])
def test_who_may_see_an_owners_report(client, request, owner, department, who, status, page):
    if who == "colleague":
        user = factories.TaskOwnerFactory(username="colleague")
        department.members.add(user)
    else:
        user = request.getfixturevalue(who)
    name = "admin:review_owner_report_export" if page else "admin:review_owner_report"
    assert _get(client, user, owner, name, *page).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, owner):
    response = client.get(reverse("admin:review_owner_report", args=[owner.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_unknown_owner_or_format_is_not_found_and_a_bad_period_is_refused(client, cco_staff, owner):
    client.force_login(cco_staff)
    assert client.get(reverse("admin:review_owner_report", args=[999_999])).status_code == 404
    assert client.get(reverse("admin:review_owner_report_export", args=[owner.pk, "xlsx"])).status_code == 404
    page = client.get(reverse("admin:review_owner_report", args=[owner.pk]), {"period": "2026-Q9"})
    assert page.status_code == 400 and "period:" in page.content.decode()
    export = client.get(reverse("admin:review_owner_report_export", args=[owner.pk, "csv"]), {"period": "Q9"})
    assert export.status_code == 400 and export.content.decode().startswith("period:")


def test_the_csv_has_its_sections_and_columns(client, owner, work):
    response = _get(client, owner, owner, "admin:review_owner_report_export", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="accountability-owner-2026-Q1.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[:4] == [
        ["owner", owner.get_full_name()],
        ["period", "2026-Q1"],
        ["from", "2026-01-01"],
        ["to", "2026-03-31"],
    ]
    assert ["figure", "value"] in rows and ["Say/do rate", "33.3 %"] in rows and ["Hand-off rate", "50.0 %"] in rows
    at = rows.index(["initiative", "department", "hours a month", "months pledged", "months taken part in"])
    assert rows[at + 1] == ["Fix onboarding", "Service", "8", "3", "2"]
    at = rows.index(["recognised on", "by", "for", "note"])
    assert rows[at + 1][0] == "2026-02-01" and rows[at + 1][3] == "Saved the Acme account."
    at = rows.index(["metric", "initiatives", "company value", "company score", "colour"])
    assert rows[at + 1 :] == [["Fcr", "Fix onboarding", "76", "80.0", "Amber"]]


def test_the_pdf_is_a_pdf_with_the_figures(client, owner, work):
    response = _get(client, owner, owner, "admin:review_owner_report_export", "pdf")
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    text = pdf_text(body)
    for part in (b"accountability report 2026-Q1", b"Say/do rate", b"33.3 %", b"Saved the Acme account.", b"Fcr"):
        assert part in text


def test_each_metric_lists_the_owners_initiatives_moving_it_by_title(owner, department):
    """Metrics by name, each with the titles of the owner's running initiatives that move it, in title order;
    initiatives where the owner's only task is cancelled, or that do not run in the period, are left out."""
    churn, activation, nps = metric("churn"), metric("activation"), metric("nps")
    q1 = {"start_date": dt.date(2026, 1, 1), "end_date": dt.date(2026, 3, 31)}
    moving = {"Zeta push": [churn], "Alpha push": [churn, activation], "Mid push": [activation]}
    for title, metrics in moving.items():
        initiative = factories.InitiativeFactory(title=title, **q1)
        initiative.metrics.add(*metrics)
        _task(owner, department, initiative, dt.date(2026, 2, 1))
    cancelled = factories.InitiativeFactory(title="Cancelled push", **q1)
    q2 = {"start_date": dt.date(2026, 4, 1), "end_date": dt.date(2026, 6, 30)}
    later = factories.InitiativeFactory(title="Later push", **q2)
    for initiative, status in ((cancelled, "cancelled"), (later, "not_started")):
        initiative.metrics.add(nps)
        _task(owner, department, initiative, initiative.start_date, status=status)
    report = owner_report_get(owner=owner, period=Q1)
    assert [(row.metric.name, row.initiatives, row.line) for row in report.metrics] == [
        ("Activation", ["Alpha push", "Mid push"], None),
        ("Churn", ["Alpha push", "Zeta push"], None),
    ]


def _grow(owner, department, n):
    """n more initiatives, each with a metric, a task of the owner's, a pledge, a check-in and a recognition."""
    for _ in range(n):
        initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
        initiative.metrics.add(factories.MetricFactory())
        task = _task(owner, department, initiative, dt.date(2026, 2, 10), status="in_progress")
        factories.PledgeFactory(initiative=initiative, department=department, person=owner)
        factories.CheckInFactory(task=task, author=owner, date=dt.date(2026, 2, 11))
        factories.RecognitionFactory(giver=department.head, recipient=owner, task=task)


# Session, user, roles, the owner, the scorecard settings, delivery, hand-offs, pledges, check-ins,
# task edits, meetings, recognitions, the initiatives' metrics and those metrics (2), the company's metric lines.
# The page adds the admin's sidebar (3). The owner reading their own report asks nothing about departments.
EXPORT_QUERIES = 15
PAGE_QUERIES = EXPORT_QUERIES + 3


@pytest.mark.parametrize(
    ("page", "queries"), [((), PAGE_QUERIES), (("csv",), EXPORT_QUERIES), (("pdf",), EXPORT_QUERIES)]
)
def test_the_report_runs_the_same_queries_at_any_size(
    client, owner, department, django_assert_num_queries, page, queries
):
    name = "admin:review_owner_report_export" if page else "admin:review_owner_report"
    client.force_login(owner)
    _grow(owner, department, 1)
    with django_assert_num_queries(queries):
        small = client.get(reverse(name, args=[owner.pk, *page]), {"period": "2026-Q1"})
    _grow(owner, department, 6)
    with django_assert_num_queries(queries):
        large = client.get(reverse(name, args=[owner.pk, *page]), {"period": "2026-Q1"})
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)


def test_the_home_page_links_to_ones_own_report(client, owner):
    client.force_login(owner)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("admin:review_owner_report", args=[owner.pk])}"' in page


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("head", ["head", "owner", "colleague"]),
        ("executive", ["head", "owner", "colleague"]),
        ("owner", ["owner"]),  # a member: their own only
        ("other_head", []),
    ],
)
def test_the_department_page_links_to_the_reports_the_reader_may_open(client, request, department, owner, who, links):
    colleague = factories.TaskOwnerFactory(username="colleague")
    department.members.add(colleague)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:review_department", args=[department.slug]), {"period": "2026-Q1"})
    page = response.content.decode()
    users = {"head": department.head, "owner": owner, "colleague": colleague}
    shown = [name for name, u in users.items() if reverse("admin:review_owner_report", args=[u.pk]) in page]
    assert sorted(shown) == sorted(links)
    for name in shown:  # every link opens
        assert client.get(reverse("admin:review_owner_report", args=[users[name].pk])).status_code == 200
