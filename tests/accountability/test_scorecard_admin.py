"""Admin of scorecard settings (a validated singleton) and of snapshots (read only, recompute action)."""

import pytest
from django.urls import reverse

from accountability.models import Scorecard, ScorecardSettings
from accountability.scorecards import admin as scorecard_admin
from accountability.scorecards.services import scorecards_recompute_enqueue
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

VALID = {
    "delivery_weight": "2",
    "growth_weight": "2",
    "green_from": "80",
    "amber_from": "50",
    "stale_days": "14",
    "nightly_recompute_hour": "2",
    "close_previous_period_on_day": "1",
}


def settings_url(row=None) -> str:
    if row is None:
        return reverse("admin:accountability_scorecardsettings_add")
    return reverse("admin:accountability_scorecardsettings_change", args=[row.pk])


def test_cco_staff_add_the_settings_once_and_then_cannot_add_a_second(client, cco_staff):
    client.force_login(cco_staff)
    response = client.post(settings_url(), VALID)
    assert response.status_code == 302
    assert ScorecardSettings.objects.count() == 1
    assert client.get(settings_url()).status_code == 403


def test_nobody_deletes_the_settings(client, cco_staff):
    row = ScorecardSettings.objects.create()
    client.force_login(cco_staff)
    response = client.post(reverse("admin:accountability_scorecardsettings_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert ScorecardSettings.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"delivery_weight": "-1"}, scorecard_admin.WEIGHT_NEGATIVE),
        ({"delivery_weight": "0", "growth_weight": "0"}, scorecard_admin.WEIGHTS_ZERO),
        ({"amber_from": "80", "green_from": "80"}, "The amber bound (80) must be below the green bound (80)."),
        ({"amber_from": "90"}, "The amber bound (90) must be below the green bound (80)."),
        ({"close_previous_period_on_day": "31"}, scorecard_admin.CLOSE_DAY_RANGE),
        ({"nightly_recompute_hour": "24"}, "Ensure this value is less than or equal to 23."),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_change_nothing(client, cco_staff, changes, message):
    row = ScorecardSettings.objects.create()
    client.force_login(cco_staff)
    response = client.post(settings_url(row), {**VALID, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    row.refresh_from_db()
    assert (row.delivery_weight, row.amber_from, row.green_from) == (2, 50, 80)


@pytest.mark.parametrize("role", ["executive", "head", "owner"])
def test_other_roles_read_the_settings_but_cannot_change_them(client, role, request):
    row = ScorecardSettings.objects.create()
    client.force_login(request.getfixturevalue(role))
    assert client.get(settings_url(row)).status_code == 200
    response = client.post(settings_url(row), {**VALID, "delivery_weight": "5"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.delivery_weight == 2


def test_a_scorecard_shows_its_lines_read_only(client, executive):
    line = factories.ScorecardLineFactory(label="On-time rate", inputs={"due": 10, "on_time": 6}, explanation="6/10")
    client.force_login(executive)
    response = client.get(reverse("admin:accountability_scorecard_change", args=[line.scorecard.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "On-time rate" in page and "6/10" in page
    assert 'name="lines-0-label"' not in page  # no editable line fields


@pytest.mark.parametrize("cards", [2, 20])
def test_the_scorecard_changelist_takes_a_fixed_number_of_queries(
    client, executive, cards, django_assert_max_num_queries
):
    factories.ScorecardFactory.create_batch(cards)
    client.force_login(executive)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:accountability_scorecard_changelist"))
    assert response.status_code == 200


def test_only_cco_staff_are_offered_recompute_now(client, cco_staff, executive):
    factories.ScorecardFactory()
    url = reverse("admin:accountability_scorecard_changelist")
    client.force_login(executive)
    assert "recompute_now" not in client.get(url).content.decode()
    client.force_login(cco_staff)
    assert "recompute_now" in client.get(url).content.decode()


def test_an_executive_posting_recompute_now_queues_nothing(client, executive, monkeypatch):
    sent = []
    monkeypatch.setattr(scorecard_admin, "scorecards_recompute_enqueue", lambda **kw: sent.append(kw) or [])
    card = factories.ScorecardFactory()
    client.force_login(executive)
    url = reverse("admin:accountability_scorecard_changelist")
    client.post(url, {"action": "recompute_now", "_selected_action": [card.pk]})
    assert sent == []


def test_enqueueing_inside_a_transaction_waits_for_the_commit(django_capture_on_commit_callbacks, monkeypatch):
    from accountability.scorecards import services

    monkeypatch.setattr(services, "publish", lambda task, **kw: True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = scorecards_recompute_enqueue(scorecards=factories.ScorecardFactory.create_batch(2))
    assert sent == [] and len(callbacks) == 2


@pytest.mark.parametrize(("role", "reopened"), [("cco_staff", True), ("executive", False), ("head", False)])
def test_only_cco_staff_reopen_a_closed_period(client, request, role, reopened):
    card = factories.ScorecardFactory(closed=True, scope="company", department=None)
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:accountability_scorecard_changelist")
    response = client.post(url, {"action": "reopen_periods", "_selected_action": [card.pk]}, follow=True)
    assert response.status_code == 200
    company = Scorecard.objects.get(scope="company", period_kind=card.period_kind, period_start=card.period_start)
    assert company.closed is not reopened
    assert ("Reopened and recomputed 2026-Q1" in response.content.decode()) is reopened


def test_the_api_shows_the_settings_scorecards_are_computed_with(executive):
    api = token_client(executive)
    assert api.get("/api/v1/scorecard-settings/").json() == {
        "delivery_weight": "2.00",
        "growth_weight": "2.00",
        "green_from": "80.00",
        "amber_from": "50.00",
        "stale_days": 14,
        "nightly_recompute_hour": 2,
        "close_previous_period_on_day": 1,
        "saved": False,
    }
    ScorecardSettings.objects.create(delivery_weight=3, green_from=75)
    body = api.get("/api/v1/scorecard-settings/").json()
    assert (body["delivery_weight"], body["green_from"], body["saved"]) == ("3.00", "75.00", True)
