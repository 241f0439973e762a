"""Importing the customer case's expected metric values: all or nothing, errors by line and column, rights."""

import datetime as dt
from decimal import Decimal

import pytest

from review import imports
from roadmap.models import InitiativeExpectation
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "initiative,metric,expected_value,by_date\n"


@pytest.fixture
def draft(head):
    return factories.DraftInitiativeFactory(title="Faster refunds", drafted_by=head)


@pytest.fixture
def metrics(db):
    return [
        factories.MetricFactory(code="fcr", min_value=Decimal(0), max_value=Decimal(100)),
        factories.MetricFactory(code="nps", min_value=Decimal(-100), max_value=Decimal(100)),
    ]


def _run(user, text, dry_run=False):
    return imports.import_run(
        kind="expectations", filename="case.csv", content=text.encode(), user=user, dry_run=dry_run
    )


def test_the_drafting_head_imports_the_expectations_of_their_draft(head, draft, metrics):
    report = _run(head, HEADER + "Faster refunds,fcr,80,2026-09-30\n" + f"{draft.pk},nps,35.5,2026-12-31\n")
    assert report.committed and not report.errors
    rows = {e.metric.code: (e.expected_value, e.by_date) for e in draft.expectations.select_related("metric")}
    assert rows == {"fcr": (80, dt.date(2026, 9, 30)), "nps": (Decimal("35.5"), dt.date(2026, 12, 31))}
    assert set(draft.metrics.values_list("code", flat=True)) == {"fcr", "nps"}  # the case's metrics join them


def test_a_bad_row_means_nothing_is_imported_and_each_error_names_its_line_and_column(cco_staff, draft, metrics):
    text = (
        HEADER
        + "Faster refunds,fcr,80,2026-09-30\n"  # line 2: good
        + "Faster refunds,nps,140,2026-09-30\n"  # line 3: outside -100 to 100
        + "Faster refunds,fcr,85,2026-09-30\n"  # line 4: fcr already expected (line 2)
        + "Nowhere,ghost,x,30/09/2026\n"  # line 5: everything wrong
    )
    report = _run(cco_staff, text)
    assert not report.committed and not InitiativeExpectation.objects.exists()
    errors = {r.line: " ".join(r.messages) for r in report.errors}
    assert set(errors) == {3, 4, 5}
    assert errors[3].startswith("expected_value:")
    assert "already has an expected value" in errors[4]
    for column in ("initiative:", "metric:", "expected_value:", "by_date:"):
        assert column in errors[5]


def test_another_head_or_a_proposed_draft_is_refused_on_initiative(other_head, head, draft, metrics):
    report = _run(other_head, HEADER + "Faster refunds,fcr,80,2026-09-30\n")
    assert not report.committed and report.errors[0].messages[0].startswith("initiative: You may not change")
    draft.proposal = "proposed"
    draft.save(update_fields=["proposal"])
    assert not _run(head, HEADER + "Faster refunds,fcr,80,2026-09-30\n").committed
    assert not InitiativeExpectation.objects.exists()


def test_a_dry_run_imports_nothing(cco_staff, draft, metrics):
    report = _run(cco_staff, HEADER + "Faster refunds,fcr,80,2026-09-30\n", dry_run=True)
    assert not report.committed and not report.errors and not InitiativeExpectation.objects.exists()
