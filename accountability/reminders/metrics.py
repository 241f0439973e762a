"""Prometheus figures of reminder delivery, read at scrape time (`METRICS_COLLECTORS`, core/metrics.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Min
from prometheus_client.core import GaugeMetricFamily, Metric

from accountability.models import Message


def reminder_metrics(*, now: dt.datetime) -> Iterable[Metric]:
    """Messages (reminders, escalations, digests, alerts) by status, and the age of the oldest still waiting."""
    counts = dict(Message.objects.order_by().values_list("status").annotate(n=Count("id")))
    by_status = GaugeMetricFamily(
        "cco_reminder_messages",
        "Reminder messages by status: pending, sending, sent, failed, skipped.",
        labels=["status"],
    )
    for status in Message.Status.values:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    oldest = Message.objects.filter(status=Message.Status.PENDING).aggregate(oldest=Min("created_at"))["oldest"]
    yield GaugeMetricFamily(
        "cco_reminder_oldest_pending_age_seconds",
        "Age of the oldest message still pending (0: none).",
        value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    )
