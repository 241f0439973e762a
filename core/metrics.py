"""Prometheus metrics: requests counted in each web process, everything else read from the database at scrape time.

- **Requests** (`cco_http_requests_total`, `cco_http_request_duration_seconds`) are counted by
  the middleware below in the process that answered. Under gunicorn every worker writes them to
  the folder in `PROMETHEUS_MULTIPROC_DIR` and a scrape of any worker adds them all up
  (prometheus_client's multiprocess mode; `cco/gunicorn.conf.py` tidies after a dead worker).
- **Tasks, reminders and recompute lag** are read from the database at each scrape, by the
  functions in `METRICS_COLLECTORS`: one per floor that owns the figures, so this floor imports
  nothing above it. Rows are the truth across machines and restarts, which a per-process counter
  in a Celery worker is not.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from core.client_ip import client_ip
from core.health import health_checks, job_lateness
from core.job_runs import HEARTBEAT_TASK, OUTCOMES
from core.models import JobRun

disable_created_metrics()  # no `_created` series beside every counter: half the lines, nothing an alert uses
REQUESTS = Counter(
    "cco_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "cco_http_request_duration_seconds",
    "Time to answer an HTTP request, by view and method.",
    ["view", "method"],
    registry=None,
)
# Checks that cost no more than a ping; the others (worker, beat, jobs) are exported as timestamps.
SCRAPE_CHECKS = ["database", "broker", "cache", "worker", "beat", "jobs"]


def _view_label(request: HttpRequest) -> str:
    """A bounded label: the URL pattern's name, never the path (ids would make a series each)."""
    if getattr(request, "probe_name", None):
        return f"probe:{request.probe_name}"
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


class RequestMetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        view, method = _view_label(request), request.method or "GET"
        REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
        LATENCY.labels(view=view, method=method).observe(time.perf_counter() - started)
        return response


def metrics_allowed(request: HttpRequest) -> bool:
    """The scraper shows the token (Authorization: Bearer …) or comes from an allowed address."""
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    if settings.METRICS_ALLOWED_IPS:
        try:
            address = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_IPS)
    return False


class _DatabaseCollector:
    """Calls each METRICS_COLLECTORS function at collect time (once per scrape)."""

    def collect(self) -> Iterable[Metric]:
        now = timezone.now()
        for path in settings.METRICS_COLLECTORS:
            yield from import_string(path)(now=now)


def metrics_response() -> HttpResponse:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _timestamp(value) -> float:
    return value.timestamp() if value else 0.0


def job_metrics(*, now) -> Iterable[Metric]:
    """Task runs by outcome, the last success and failure of each, the heartbeat, beat, lateness, the checks."""
    runs = {run.name: run for run in JobRun.objects.all()}
    counts = CounterMetricFamily(
        "cco_celery_task_runs",
        "Celery task runs by outcome (all workers, from the database).",
        labels=["task", "outcome"],
    )
    succeeded = GaugeMetricFamily(
        "cco_celery_task_last_success_timestamp_seconds", "When each task last succeeded.", labels=["task"]
    )
    failed = GaugeMetricFamily(
        "cco_celery_task_last_failure_timestamp_seconds", "When each task last failed (0: never).", labels=["task"]
    )
    for name, run in sorted(runs.items()):
        for outcome in OUTCOMES:
            counts.add_metric([name, outcome], getattr(run, outcome))
        succeeded.add_metric([name], _timestamp(run.last_succeeded_at))
        failed.add_metric([name], _timestamp(run.last_failed_at))
    yield from (counts, succeeded, failed)
    heartbeat = runs.get(HEARTBEAT_TASK)
    yield GaugeMetricFamily(
        "cco_worker_heartbeat_timestamp_seconds",
        "When a worker last ran the heartbeat (0: never).",
        value=_timestamp(heartbeat.last_succeeded_at if heartbeat else None),
    )
    last_sent = max((run.last_sent_at for run in runs.values() if run.last_sent_at), default=None)
    yield GaugeMetricFamily(
        "cco_beat_last_sent_timestamp_seconds",
        "When beat last sent a scheduled task (0: never).",
        value=_timestamp(last_sent),
    )
    yield _lateness(runs, now)
    checks = GaugeMetricFamily("cco_health_check_ok", "1 when the readiness check passes, else 0.", labels=["check"])
    for name, result in health_checks(names=SCRAPE_CHECKS, now=now).items():
        checks.add_metric([name], 1.0 if result["ok"] else 0.0)
    yield checks


def _lateness(runs: dict, now) -> Metric:
    overdue = GaugeMetricFamily(
        "cco_scheduled_job_overdue_seconds",
        "Seconds past the time the schedule should have run each job again after its last success.",
        labels=["job"],
    )
    since = min((run.created_at for run in runs.values() if run.last_sent_at), default=None)
    for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        seconds = job_lateness(entry=entry, run=runs.get(entry["task"]), since=since, now=now)
        overdue.add_metric([name], seconds or 0.0)
    return overdue
