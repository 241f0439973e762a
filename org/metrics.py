"""Prometheus figures of the stale marks, read at scrape time (`METRICS_COLLECTORS`, core/metrics.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Min
from prometheus_client.core import GaugeMetricFamily, Metric

from org.models import RecomputeRequest


def recompute_metrics(*, now: dt.datetime) -> Iterable[Metric]:
    """How many subjects wait for a recompute, and for how long the oldest has waited (the recompute lag)."""
    found = RecomputeRequest.objects.aggregate(pending=Count("id"), oldest=Min("requested_at"))
    yield GaugeMetricFamily(
        "cco_recompute_requests_pending",
        "Scorecard subjects marked stale and not yet recomputed.",
        value=found["pending"],
    )
    lag = (now - found["oldest"]).total_seconds() if found["oldest"] else 0.0
    yield GaugeMetricFamily(
        "cco_recompute_lag_seconds",
        "Age of the oldest stale mark: how far the scorecards lag behind edits (0: none).",
        value=max(0.0, lag),
    )
