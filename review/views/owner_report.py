"""An owner's accountability report for a period: the page, and its CSV and PDF for performance reviews."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from accountability.owner_report import OwnerReport, owner_report_get, owner_report_visible
from review.exports import owner_report as export
from review.selectors import dashboard as periods
from review.views.exports import CONTENT_TYPES

NOT_YOURS = "Only the owner, the heads of the owner's departments, CCO staff and executives see this report."


def _report(request: HttpRequest, user_id: int) -> tuple[OwnerReport, str | None]:
    owner = get_object_or_404(get_user_model(), pk=user_id)
    if not owner_report_visible(user=request.user, owner=owner):
        raise PermissionDenied(NOT_YOURS)
    try:
        period, error = periods.review_period(text=request.GET.get("period")), None
    except ValueError as exc:
        period, error = periods.review_period(text=None), f"period: {exc}"
    return owner_report_get(owner=owner, period=period), error


def owner_report_view(request: HttpRequest, user_id: int, *, site) -> HttpResponse:
    report, error = _report(request, user_id)
    context = {
        **site.each_context(request),
        "title": f"Accountability report: {export.person(report.owner)}, {report.period}",
        "report": report,
        "period": report.period,
        "previous": report.period.previous,
        "next": report.period.next,
        "error": error,
        "figures": export.figure_rows(report),
        "participation_columns": export.PARTICIPATION_COLUMNS,
        "participation": export.participation_rows(report),
        "metric_columns": export.METRIC_COLUMNS,
        "metrics": export.metric_rows(report),
    }
    return TemplateResponse(request, "admin/review/owner_report.html", context, status=400 if error else 200)


def owner_report_export_view(request: HttpRequest, user_id: int, fmt: str, *, site) -> HttpResponse:
    if fmt not in ("csv", "pdf"):
        raise Http404("The accountability report exports as csv or pdf.")
    report, error = _report(request, user_id)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    body = export.owner_report_pdf(report=report) if fmt == "pdf" else export.owner_report_csv(report=report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"accountability-{report.owner.username}-{report.period.label}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
