"""`manage.py recompute_scorecards`: synchronous recomputes with clear errors."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from accountability.models import Scorecard
from tests import factories
from tests.worker import ROOT, database_url

pytestmark = pytest.mark.django_db


def test_recomputing_a_quarter_writes_one_snapshot_per_scope(department, other_department):
    call_command("recompute_scorecards", "--period", "2026-Q3")
    call_command("recompute_scorecards", "--period", "2026-Q3")
    cards = Scorecard.objects.filter(period_kind="quarter", period_start=dt.date(2026, 7, 1))
    assert sorted(cards.values_list("scope", flat=True)) == ["company", "department", "department"]


def test_recomputing_one_department_leaves_the_others_alone(department, other_department):
    call_command("recompute_scorecards", "--period", "2026-07", "--department", "service")
    assert set(Scorecard.objects.values_list("scope", "department", "period_kind")) == {
        ("company", None, "month"),
        ("department", department.pk, "month"),
    }


def test_close_closes_the_period_after_recomputing_it(department):
    call_command("recompute_scorecards", "--period", "2026-Q2", "--close")
    assert Scorecard.objects.filter(period_start=dt.date(2026, 4, 1)).count() == 2
    assert set(Scorecard.objects.values_list("closed", flat=True)) == {True}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q5"], "'2026-Q5' is not a period; write 2026-Q3 for a quarter or 2026-07 for a month."),
        (["--period", "July"], "'JULY' is not a period"),
        (["--department", "nowhere"], "There is no department with the slug 'nowhere'."),
    ],
)
def test_bad_input_is_a_clear_error_that_changes_nothing(department, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_scorecards", *args)
    assert not Scorecard.objects.exists()


def test_an_unknown_department_exits_non_zero_with_its_message(transactional_db):
    factories.DepartmentFactory(slug="service")
    result = subprocess.run(
        [sys.executable, "manage.py", "recompute_scorecards", "--department", "nowhere"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cco.settings", "DEBUG": "1", "DATABASE_URL": database_url()},
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "There is no department with the slug 'nowhere'." in result.stderr
