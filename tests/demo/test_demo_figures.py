"""On a fresh install with demo data, the figures an executive sees are whole and agree with each other."""

import pytest
from django.urls import reverse

from accountability.models import Scorecard
from core.periods import Period
from customers.models import CustomerMovement, Reading
from tests import factories
from tests.demo.conftest import demo_built_once

demo_output = demo_built_once()  # a fresh demo, built once for this module's tests
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]
THIS_QUARTER = Period.parse("2026-Q4")


@pytest.fixture(autouse=True)
def _frozen(frozen_now):
    return frozen_now


def company(period: Period) -> Scorecard:
    return Scorecard.objects.get(scope="company", period_kind=period.kind, period_start=period.start)


def test_the_company_customers_line_is_the_total_not_a_segment():
    card = company(THIS_QUARTER)
    customers = card.lines.get(part="metric", metric__code="customers")
    total = Reading.objects.filter(metric__code="customers", segment__isnull=True).order_by("-date").first()
    # The demo's ledger and its counts agree, so S + net is also the last counted total.
    assert customers.value == total.value
    assert not card.lines.filter(part="check").exists()
    segments = card.lines.filter(part="breakdown", metric__code="customers")
    assert segments.count() == 4 and sum(line.value for line in segments) == total.value


def test_customers_lost_appears_once_and_agrees_with_the_ledger():
    for card in Scorecard.objects.filter(scope="company"):
        lost_lines = [line for line in card.lines.all() if "lost" in line.label.lower() and line.part == "metric"]
        ledger = sum(
            CustomerMovement.objects.filter(
                kind="lost", date__gte=card.period.start, date__lte=card.period.end
            ).values_list("count", flat=True)
        )
        assert len(lost_lines) == 1, card
        assert lost_lines[0].value == ledger == card.customers_lost, card
    assert not Reading.objects.filter(metric__source__startswith="ledger").exists()


def test_the_dashboard_has_a_trend_and_a_change_from_day_one(client):
    client.force_login(factories.ExecutiveFactory())
    response = client.get(reverse("admin:review_dashboard"), {"period": THIS_QUARTER.label})
    data = response.context["data"]
    points = [value for _, value in data.trend if value is not None]
    assert len(points) >= 8
    assert data.company.change is not None
    assert all(row.change is not None for row in data.rows)
    compare = client.get(reverse("admin:review_compare"), {"a": "2026-Q3", "b": THIS_QUARTER.label})
    assert "no snapshot" not in compare.content.decode()
