"""The health probes and the metrics scrape, answered before the host check and the HTTPS redirect.

A load balancer or an orchestrator probes a process by its address over plain HTTP from inside
the network, so these paths must not depend on ALLOWED_HOSTS or on HTTPS (the settings exempt
them from the redirect):

- `GET /health/live`: the process answers; touches nothing else.
- `GET /health/ready`: every check of `core/health.py`, as JSON; 503 when one fails.
  `?check=database&check=cache` runs only those (what a load balancer should route on).
- `GET /metrics`: Prometheus' text format, for a scraper with the token or an allowed address.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.health import CHECKS, health_checks
from core.metrics import metrics_allowed, metrics_response

UNKNOWN_CHECK = "Unknown check {names}: choose among {choices}."
METHOD_NOT_ALLOWED = "Only GET and HEAD are allowed here."
METRICS_REFUSED = "Show METRICS_TOKEN as a bearer token, or scrape from an address in METRICS_ALLOWED_IPS."
PATHS = {"/health/live": "live", "/health/ready": "ready", "/metrics": "metrics"}


def _json(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, encoder=DjangoJSONEncoder)
    response["Cache-Control"] = "no-store"
    return response


def live(request: HttpRequest) -> HttpResponse:
    return _json({"status": "ok"})


def ready(request: HttpRequest) -> HttpResponse:
    names = request.GET.getlist("check")
    unknown = sorted(set(names) - set(CHECKS))
    if unknown:
        return _json({"check": [UNKNOWN_CHECK.format(names=", ".join(unknown), choices=", ".join(CHECKS))]}, 400)
    checks = health_checks(names=names or None)
    ok = all(check["ok"] for check in checks.values())
    response = _json({"status": "ok" if ok else "failing", "checks": checks}, 200 if ok else 503)
    # Each failing check is logged once as a warning (core/health.py); a probe every few seconds
    # must not also make an error line (and an error report) of every 503.
    response._has_been_logged = True
    return response


def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return _json({"detail": METRICS_REFUSED}, 403)
    return metrics_response()


VIEWS = {"live": live, "ready": ready, "metrics": metrics}


class ProbeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = PATHS.get(request.path.rstrip("/") or "/")
        if name is None:
            return self.get_response(request)
        request.probe_name = name  # the request metrics' view label
        if request.method not in ("GET", "HEAD"):
            response = _json({"detail": METHOD_NOT_ALLOWED}, 405)
            response["Allow"] = "GET, HEAD"
            return response
        return VIEWS[name](request)
