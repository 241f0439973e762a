"""The scorecard dashboard, a department's drill-down, a line's explanation, period comparison."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from accountability.models import ScorecardLine
from accountability.scorecards.services import scorecard_settings_get, scorecards_compute_period
from core.periods import Period
from org.models import Department
from org.selectors import user_is_cco_staff
from review import charts
from review.selectors import dashboard as selectors

RECOMPUTE_STAFF_ONLY = "Only CCO staff can recompute scorecards."
RECOMPUTE_DONE = "Scorecards for {period} computed."


def _period(request: HttpRequest, name: str = "period") -> tuple[Period, str | None]:
    """The period in the query string (default: the current quarter) and an error naming the parameter, if any.

    A page with an error shows the current quarter under it, answered 400.
    """
    try:
        return selectors.review_period(text=request.GET.get(name)), None
    except ValueError as exc:
        return selectors.review_period(text=None), f"{name}: {exc}"


def _status(*errors: str | None) -> int:
    return 400 if any(errors) else 200


def _bands() -> tuple[float, float]:
    settings = scorecard_settings_get()
    return float(settings.green_from), float(settings.amber_from)


def _context(site, request: HttpRequest, title: str, **extra) -> dict:
    return {**site.each_context(request), "title": title, "is_cco_staff": user_is_cco_staff(user=request.user), **extra}


def dashboard_view(request: HttpRequest, *, site) -> HttpResponse:
    period, error = _period(request)
    data = selectors.dashboard_get(period=period)
    green, amber = _bands()
    chart = charts.trend_svg(
        labels=[p.label for p, _ in data.trend],
        series=[("Company", [v for _, v in data.trend])],
        green_from=green,
        amber_from=amber,
    )
    context = _context(
        site,
        request,
        f"Scorecard dashboard {period}",
        data=data,
        chart=chart,
        error=error,
        period=period,
        previous=period.previous,
        next=period.next,
    )
    return TemplateResponse(request, "admin/review/dashboard.html", context, status=_status(error))


def department_view(request: HttpRequest, slug: str, *, site) -> HttpResponse:
    department = get_object_or_404(Department, slug=slug)
    period, error = _period(request)
    data = selectors.department_review_get(
        department=department, period=period, user=request.user, limit=selectors.PROBLEMS_SHOWN
    )
    green, amber = _bands()
    trend = charts.trend_svg(
        labels=[p.label for p, _, _ in data.trend],
        series=[(department.name, [d for _, d, _ in data.trend]), ("Company", [c for _, _, c in data.trend])],
        green_from=green,
        amber_from=amber,
    )
    metrics = charts.attainment_svg(
        rows=[
            (m.metric.name, m.value, m.target.target_value, m.target.amber_threshold, m.metric.unit)
            for m in data.metrics
        ]
    )
    context = _context(
        site,
        request,
        f"{department.name} {period}",
        data=data,
        trend=trend,
        metrics_chart=metrics,
        error=error,
        period=period,
    )
    return TemplateResponse(request, "admin/review/department.html", context, status=_status(error))


def line_view(request: HttpRequest, line_id: int, *, site) -> HttpResponse:
    line = get_object_or_404(ScorecardLine.objects.select_related("scorecard__department", "metric"), pk=line_id)
    context = _context(site, request, f"How “{line.label}” was reached", line=line, scorecard=line.scorecard)
    return TemplateResponse(request, "admin/review/line.html", context)


def compare_view(request: HttpRequest, *, site) -> HttpResponse:
    first, error_a = _period(request, "a")
    second, error_b = _period(request, "b")
    if not request.GET.get("a"):
        first = second.previous
    try:
        data = selectors.period_comparison_get(first=first, second=second)
    except ValueError as exc:
        error_a, data = str(exc), selectors.period_comparison_get(first=second.previous, second=second)
    context = _context(
        site, request, f"Compare {data['first']} with {data['second']}", data=data, error=error_a or error_b
    )
    return TemplateResponse(request, "admin/review/compare.html", context, status=_status(error_a, error_b))


@require_POST
def recompute_view(request: HttpRequest, *, site) -> HttpResponse:
    if not user_is_cco_staff(user=request.user):
        raise PermissionDenied(RECOMPUTE_STAFF_ONLY)
    period, error = _period(request)
    if error:
        messages.error(request, error)
    else:
        scorecards_compute_period(period=period)
        messages.success(request, RECOMPUTE_DONE.format(period=period))
    return HttpResponseRedirect(f"{reverse('admin:review_dashboard')}?period={period}")
