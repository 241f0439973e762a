"""The dashboard's "did not move" list reads company values from current company snapshots.

The hand-computed case of tests/review/test_follow_through.py (today 15 October 2026):
"Fewer complaints" did not move (5 in 2026-Q1, 5.5 in Q3). Here "Better first calls" did not
either: one more first-contact resolution reading, 70.0001 from Billing on 20 February, makes
Q1's value (70 + 72 + 71 + 70.0001) / 4 = 70.750025, and Q3's readings are 70: more places than
a line's value keeps, so a value read back rounded would differ from the one computed. With the company snapshots of Q1
and Q3 computed and no recompute waiting, the list takes no reading from the readings table
and its figures are those computed from the readings. A snapshot marked stale, closed and asked
to recompute since, missing, or read with the metric's other settings is not read: the list
follows the data.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Scorecard
from accountability.scorecards.follow_through import did_not_move_latest, follow_through_many
from accountability.scorecards.services import scorecards_close_period, scorecards_compute_period
from accountability.scorecards.sweeps import recompute_requests_process
from core.periods import Period
from customers.models import Metric, Reading
from org.models import RecomputeRequest
from org.stale import scorecard_request_recompute
from roadmap.models import Initiative
from tests import factories
from tests.review.test_follow_through import _today, case  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
Q1, Q3 = Period.parse("2026-Q1"), Period.parse("2026-Q3")


@pytest.fixture
def snapshots(case, other_department):  # noqa: F811
    fcr = Metric.objects.get(code="first-contact-resolution")
    factories.ReadingFactory(metric=fcr, department=other_department, date=dt.date(2026, 2, 20), value="70.0001")
    Reading.objects.filter(metric=fcr, date=dt.date(2026, 8, 10)).update(value=70)
    for period in (Q1, Q3):
        scorecards_compute_period(period=period)
    RecomputeRequest.objects.all().delete()  # the sweep has caught up: the snapshots are current
    return case


def _figures(follow_throughs) -> list:
    return [
        (f.initiative.title, [(str(m.before_period), m.before, str(m.now_period), m.now) for m in f.metrics])
        for f in follow_throughs
    ]


def _computed() -> list:
    """The list as computed from the readings, initiative by initiative (the timeline's way)."""
    done = Initiative.objects.filter(status=Initiative.Status.DONE).order_by("-end_date", "title")
    return _figures(f for f in follow_through_many(initiatives=list(done)) if f.did_not_move)


def _titles(follow_throughs) -> list[str]:
    return [f.initiative.title for f in follow_throughs]


def _titles_computed() -> list[str]:
    return [title for title, _figures in _computed()]


def _flagged(client, executive) -> str:
    client.force_login(executive)
    page = client.get(reverse("admin:review_dashboard")).content.decode()
    flagged = page[page.index('id="did-not-move"') :]
    return flagged[: flagged.index("</table>")]


def _change_complaints_in_q3(value: str) -> None:
    """5.5 becomes `value` in Q3, as a service writes it: the reading, and the stale mark."""
    reading = Reading.objects.get(metric__code="complaints", date=dt.date(2026, 8, 1))
    Reading.objects.filter(pk=reading.pk).update(value=Decimal(value))
    scorecard_request_recompute(department_ids=[None], dates=[reading.date])


def test_with_current_snapshots_the_list_reads_no_reading_and_has_the_computed_figures(snapshots, client, executive):
    with CaptureQueriesContext(connection) as queries:
        listed = did_not_move_latest()[0]
    assert not [q["sql"] for q in queries if "customers_reading" in q["sql"]]
    assert (
        _figures(listed)
        == _computed()
        == [
            ("Better first calls", [("2026-Q1", Decimal("70.750025"), "2026-Q3", 70)]),  # unrounded
            ("Fewer complaints", [("2026-Q1", 5, "2026-Q3", Decimal("5.5"))]),
        ]
    )
    flagged = _flagged(client, executive)
    assert "Fewer complaints" in flagged and "Better first calls" in flagged


def test_a_snapshot_marked_stale_is_not_read(snapshots, client, executive):
    _change_complaints_in_q3("4.5")  # it moved after all
    assert _titles(did_not_move_latest()[0]) == _titles_computed() == ["Better first calls"]
    assert "Fewer complaints" not in _flagged(client, executive)


def test_a_closed_snapshot_asked_to_recompute_since_is_not_read(snapshots):
    scorecards_close_period(period=Q3)
    _change_complaints_in_q3("4.5")
    recompute_requests_process()  # the sweep keeps the closed snapshot as it was, and no mark is left
    assert not RecomputeRequest.objects.exists()
    company_q3 = Scorecard.objects.get(scope="company", period_kind="quarter", period_start=Q3.start)
    assert (company_q3.closed, company_q3.outdated) == (True, True)
    assert _titles(did_not_move_latest()[0]) == _titles_computed() == ["Better first calls"]


def test_a_closed_snapshot_nobody_asked_to_recompute_is_read(snapshots):
    scorecards_close_period(period=Q3)
    RecomputeRequest.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        listed = did_not_move_latest()[0]
    assert not [q["sql"] for q in queries if "customers_reading" in q["sql"]]
    assert _figures(listed) == _computed() and len(listed) == 2


def test_without_a_snapshot_the_quarter_is_computed(snapshots):
    Scorecard.objects.filter(scope="company", period_start=Q3.start).delete()
    Reading.objects.filter(metric__code="complaints", date=dt.date(2026, 8, 1)).update(value=Decimal("4.5"))
    assert _titles(did_not_move_latest()[0]) == _titles_computed() == ["Better first calls"]


@pytest.mark.parametrize(
    ("change", "reads"),
    [({"aggregation": Metric.Aggregation.SUM}, True), ({"min_value": Decimal(5)}, True), ({"active": False}, False)],
    ids=["aggregation", "range", "inactive"],
)
def test_a_snapshot_read_with_other_metric_settings_is_not_read(snapshots, change, reads):
    Metric.objects.filter(code="complaints").update(**change)
    expected = _computed()
    with CaptureQueriesContext(connection) as queries:
        listed = did_not_move_latest()[0]
    # Computed again: from its readings, or, inactive, with no value and so no reading to read.
    assert bool([q["sql"] for q in queries if "customers_reading" in q["sql"]]) is reads
    assert _figures(listed) == expected


def test_the_dashboard_shows_the_ten_that_ended_last_of_all_that_did_not_move_in_the_same_queries(
    case,  # noqa: F811
    client,
    executive,
    cco_staff,
    django_assert_num_queries,
):
    complaints = Metric.objects.get(code="complaints")

    def add(days):
        for day in days:  # each like "Fewer complaints": Q2, complaints from 5 to 5.5
            initiative = factories.InitiativeFactory(
                title=f"Also flat {day:02}",
                status=Initiative.Status.DONE,
                start_date=dt.date(2026, 4, 1),
                end_date=dt.date(2026, 6, day),
                owner=cco_staff,
            )
            factories.InitiativeExpectationFactory(
                initiative=initiative, metric=complaints, expected_value=3, by_date=dt.date(2026, 6, 30)
            )

    client.force_login(executive)
    url = reverse("admin:review_dashboard")
    add([1])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(range(2, 14))
    with django_assert_num_queries(len(small)):
        page = client.get(url).content.decode()
    flagged = page[page.index('id="did-not-move"') :]
    titles = [f"Also flat {day:02}" for day in range(13, 4, -1)]
    assert "Fewer complaints" in flagged and all(t in flagged for t in titles)
    assert "Also flat 04" not in flagged and "Also flat 01" not in flagged
    assert "The 10 that ended last, of 14;" in page
