"""Fresh figures fast, with a real worker: an edit after a quiet spell is swept at once, the next one coalesces."""

import time

import pytest
from django.utils import timezone

from tests import factories
from tests.accountability.scorecard_worker_helpers import fresh_since, save_reading
from tests.worker import wait_until

pytestmark = pytest.mark.worker


def test_an_edit_after_a_quiet_spell_is_recomputed_at_once_and_the_next_one_waits_for_the_delay(
    celery_processes, department, settings
):
    # A delay longer than the wait below: only a sweep sent at once can make the first edit fresh in time.
    settings.SCORECARD_RECOMPUTE_DELAY = 20
    celery_processes.worker()
    metric = factories.MetricFactory(code="first-contact-resolution")
    first = timezone.now()
    save_reading(department=department, metric=metric, value=1)
    wait_until(lambda: fresh_since(department, first), timeout=15, message="the first edit recomputed at once")
    second = timezone.now()
    save_reading(department=department, metric=metric, value=2)
    time.sleep(3)
    assert not fresh_since(department, second)  # in the burst: its sweep starts 20 s after the last one
