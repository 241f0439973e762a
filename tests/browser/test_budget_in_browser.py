"""CCO staff open the budget view, see two departments funding the same metric, and pool them (Chromium)."""

import datetime as dt
from decimal import Decimal

import pytest

from core.periods import Period
from roadmap.models import Initiative
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cco_staff_see_duplicate_spending_and_pool_it(page, login, shoot, live_server, cco_staff):
    quarter = Period.containing(dt.date.today())
    roadmap = factories.RoadmapFactory(name="FY customer roadmap")
    fcr = factories.MetricFactory(code="fcr", name="First contact resolution")
    lines = []
    for name, title, budget in (("Service", "Callback squad", "40000"), ("Sales", "Retention desk", "25000")):
        initiative = factories.InitiativeFactory(
            roadmap=roadmap, title=title, start_date=quarter.start, end_date=quarter.end
        )
        department = factories.DepartmentFactory(name=name, slug=name.lower())
        lines.append(
            factories.InitiativeDepartmentFactory(
                initiative=initiative, department=department, budget=Decimal(budget), metrics=[fcr]
            )
        )
    login(cco_staff)
    page.goto(f"{live_server.url}/admin/review/budget/?period={quarter}")
    row = page.locator("#duplicate-table tr.duplicate")
    assert row.count() == 1
    text = row.inner_text()
    assert "metric: First contact resolution" in text
    assert "Service" in text and "Sales" in text and "£65,000.00" in text
    shoot("budget-duplicate-spending")
    row.locator("button.pool").click()
    page.wait_for_selector("#no-duplicates")
    assert "Retention desk pooled into Callback squad" in page.inner_text(".messagelist")
    shoot("budget-pooled")
    source = Initiative.objects.get(title="Retention desk")
    assert (source.status, source.pooled_into.title) == ("cancelled", "Callback squad")
