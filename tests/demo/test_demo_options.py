"""manage.py demo_data's size options and bad options, each from an empty database."""

import re

import pytest
from django.core.management import CommandError

from customers.models import CustomerMovement, Reading
from demo.build import Sizes
from demo.management.commands import demo_data as command
from org.models import Department
from roadmap.models import Task
from tests.demo.conftest import demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(frozen_now):
    return frozen_now


def test_size_options_build_the_requested_counts_in_bulk():
    demo("--departments", "8", "--tasks", "120", "--readings", "1000", "--movements", "300")
    assert Department.objects.count() == 8
    assert Task.objects.count() == 120
    assert Reading.objects.count() == 1000
    assert CustomerMovement.objects.count() == 300
    assert Task.objects.filter(department__slug__in=["customer-success", "onboarding"]).exists()


def test_the_smallest_sizes_still_build():
    demo("--tasks", "1", "--readings", "336", "--movements", "1")
    assert (Task.objects.count(), Reading.objects.count(), CustomerMovement.objects.count()) == (1, 336, 1)


def test_scale_twenty_is_the_benchmark_set():
    assert Sizes.scaled(20) == Sizes(departments=50, tasks=20_000, movements=100_000, readings=500_000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "0"], command.POSITIVE.format(option="tasks", value=0)),
        (["--scale", "-1"], command.POSITIVE.format(option="scale", value=-1)),
        (["--departments", "3"], command.TOO_FEW_DEPARTMENTS),
        (["--departments", "501"], command.TOO_MANY_DEPARTMENTS),
        (["--readings", "10"], command.TOO_FEW_READINGS.format(minimum=336)),
    ],
)
def test_bad_options_stop_with_a_clear_message_and_build_nothing(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        demo(*args)
    assert not Department.objects.exists()
