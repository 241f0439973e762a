"""The slips report: moved due dates per department and period, with who, when, how far and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from org.models import Department
from review.selectors.dashboard import review_period
from review.selectors.slips import slips_report_get


def slips_view(request: HttpRequest, *, site) -> HttpResponse:
    error = None
    try:
        period = review_period(text=request.GET.get("period"))
    except ValueError as exc:
        period, error = review_period(text=None), str(exc)
    slug = request.GET.get("department", "")
    department = get_object_or_404(Department, slug=slug) if slug else None
    groups = slips_report_get(period=period, user=request.user, department=department)
    title = f"Slips {period}" + (f": {department.name}" if department else "")
    context = {
        **site.each_context(request),
        "title": title,
        "period": period,
        "previous": period.previous,
        "next": period.next,
        "department": department,
        "groups": groups,
        "error": error,
    }
    return TemplateResponse(request, "admin/review/slips.html", context)
