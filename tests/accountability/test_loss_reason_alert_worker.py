"""Exactly once, with real processes: two beats sweeping every second alert CCO staff once about an
unowned top loss reason with no active initiative."""

import time

import pytest
from django.utils import timezone

from accountability.models import Message
from tests import factories
from tests.worker import sent_message_ids, wait_until

pytestmark = pytest.mark.worker
S = Message.Status


def _all_done() -> bool:
    return Message.objects.exists() and not Message.objects.filter(status__in=[S.PENDING, S.SENDING]).exists()


def test_two_beats_alert_an_unowned_top_loss_reason_exactly_once(celery_processes, cco_staff, tmp_path):
    reason = factories.LossReasonFactory(name="Billing error")  # no accountable department: "no owner"
    factories.CustomerMovementFactory(
        kind="lost", loss_reason=reason, count=5, date=timezone.localdate(), department=None
    )
    env = {"EMAIL_URL": "filemail://", "EMAIL_FILE_PATH": str(tmp_path / "mail"), "REMINDERS_SWEEP_SECONDS": "1"}
    celery_processes.worker(concurrency=2, **env)
    celery_processes.beat(**env)
    celery_processes.beat(**env)
    wait_until(
        lambda: celery_processes.logs().count("Sending due task reminders-fanout") >= 6,
        timeout=90,
        message="both beats fired the sweep several times",
    )
    wait_until(_all_done, timeout=90, message="the alert delivered")
    time.sleep(2)  # let any duplicate sweep or batch finish
    alert = Message.objects.get(kind=Message.Kind.LOSS_REASON_ALERT)
    assert (alert.recipient, alert.subject_key, alert.status) == (cco_staff, f"loss_reason:{reason.pk}", S.SENT)
    assert sent_message_ids(tmp_path / "mail") == [alert.pk]
