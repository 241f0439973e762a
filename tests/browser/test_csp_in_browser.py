"""The admin, the review pages with their charts and Swagger UI work under the Content-Security-Policy.

Every violation the browser reports (the `securitypolicyviolation` event, and its console
message) fails the test, and each page must also show that it works.
"""

import datetime as dt
from decimal import Decimal

import pytest

from accountability.models import Scorecard
from core.periods import Period
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def _data(department, owner):
    period = Period.containing(dt.date.today())
    card = factories.ScorecardFactory(
        department=department, period_start=period.start, overall_score=Decimal("61"), overall_colour="amber"
    )
    factories.ScorecardLineFactory(scorecard=card, position=1, label="Delivery", score=Decimal("61"), colour="amber")
    factories.ScorecardFactory(
        scope=Scorecard.Scope.COMPANY, department=None, period_start=period.start, overall_score=Decimal("70")
    )
    initiative = factories.InitiativeFactory(title="Faster onboarding")
    factories.InitiativeDepartmentFactory(initiative=initiative, department=department)
    task = factories.TaskFactory(initiative=initiative, department=department, owner=owner, title="Call lost customers")
    return initiative, task


def test_admin_review_charts_and_swagger_ui_run_without_a_single_csp_violation(
    page, login, live_server, cco_staff, department, owner
):
    initiative, task = _data(department, owner)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(WATCH)
    login(cco_staff)
    checks = {
        "/admin/": "#site-name",
        f"/admin/roadmap/task/{task.pk}/change/": ".select2-container",  # autocomplete widgets ran their script
        "/admin/review/": "svg",
        f"/admin/review/department/{department.slug}/": "svg",
        f"/admin/review/initiative/{initiative.pk}/timeline/": "svg",
        "/api/v1/docs/": ".swagger-ui .info .title",  # Swagger UI loaded its script and then the schema
    }
    violations = {}
    for path, works in checks.items():
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_selector(works, state="attached")
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp") + [t for t in console if "Content Security Policy" in t]
        if found:
            violations[path] = found
        console.clear()
    assert violations == {}
