"""Two real beat processes fire the fade sweep again and again: each recipient gets last month's alert once."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from accountability.models import Message
from tests import factories
from tests.worker import sent_message_ids, wait_until

pytestmark = pytest.mark.worker


def test_two_beats_send_a_fade_alert_once_per_recipient(celery_processes, department, head, cco_staff, tmp_path):
    last = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last complete month
    first = (last - dt.timedelta(days=1)).replace(day=1)
    initiative = factories.InitiativeFactory(start_date=first, end_date=last + dt.timedelta(days=400))
    people = [factories.TaskOwnerFactory(username=f"pledged-{i}") for i in range(8)]
    department.members.add(*people)
    for person in people:
        factories.PledgeFactory(initiative=initiative, department=department, person=person)
    factories.MeetingFactory(initiative=initiative, date=first + dt.timedelta(days=3), attendees=people)
    factories.MeetingFactory(initiative=initiative, date=last + dt.timedelta(days=3), attendees=people[:1])
    env = {"EMAIL_URL": "filemail://", "EMAIL_FILE_PATH": str(tmp_path / "mail"), "SCORECARD_SWEEP_SECONDS": "1"}
    celery_processes.worker(concurrency=2, **env)
    celery_processes.beat(**env)
    celery_processes.beat(**env)
    wait_until(
        lambda: celery_processes.logs().count("Sending due task fade-alerts-fanout") >= 6,
        timeout=90,
        message="both beats fired the fade sweep several times",
    )
    done = Message.objects.filter(kind=Message.Kind.FADE).exclude(status__in=["pending", "sending"])
    wait_until(lambda: done.count() == 3, timeout=90, message="every fade alert delivered")
    time.sleep(2)  # let any duplicate sweep or batch finish
    alerts = Message.objects.filter(kind=Message.Kind.FADE)
    assert sorted(alerts.values_list("recipient__username", flat=True)) == sorted(
        [cco_staff.username, initiative.owner.username, head.username]
    )
    assert set(alerts.values_list("for_date", flat=True)) == {last}
    ids = sent_message_ids(tmp_path / "mail")
    assert sorted(ids) == sorted(alerts.values_list("id", flat=True))  # each sent once
