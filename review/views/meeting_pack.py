"""The review meeting pack: a department's page and PDF, the company's page and PDF.

Who may read which pack is decided by review.selectors.meeting_pack: a department that does
not exist is 404, a pack the reader may not see 403 (the department review page is open to
every role, so its name is no secret).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from org.models import Department
from review.exports.meeting_pack import meeting_pack_pdf
from review.meeting_pack import company_opening, company_sections, department_sections
from review.selectors.dashboard import review_period
from review.selectors.meeting_pack import (
    meeting_pack_company_get,
    meeting_pack_company_visible,
    meeting_pack_department_get,
    meeting_pack_departments,
)

NOT_YOURS = "You may read the meeting pack of the departments you head only."
COMPANY_ONLY = "The company's meeting pack is for CCO staff and executives."


def _period(request: HttpRequest):
    try:
        return review_period(text=request.GET.get("period")), None
    except ValueError as exc:
        return review_period(text=None), f"period: {exc}"


def _department(request: HttpRequest, slug: str) -> Department:
    department = get_object_or_404(Department, slug=slug)
    if not meeting_pack_departments(user=request.user).filter(pk=department.pk).exists():
        raise PermissionDenied(NOT_YOURS)
    return department


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def _render(request: HttpRequest, site, *, title: str, period, error, **extra) -> HttpResponse:
    context = {
        **site.each_context(request),
        "title": title,
        "period": period,
        "error": error,
        "departments": list(meeting_pack_departments(user=request.user)),
        "company_visible": meeting_pack_company_visible(user=request.user),
        **extra,
    }
    return TemplateResponse(request, "admin/review/meeting_pack.html", context, status=400 if error else 200)


def department_pack_view(request: HttpRequest, slug: str, *, site) -> HttpResponse:
    department = _department(request, slug)
    period, error = _period(request)
    pack = meeting_pack_department_get(department=department, period=period, user=request.user)
    return _render(
        request,
        site,
        title=f"{department.name}: meeting pack {period}",
        period=period,
        error=error,
        department=department,
        sections=department_sections(pack=pack),
    )


def department_pack_pdf_view(request: HttpRequest, slug: str, *, site) -> HttpResponse:
    department = _department(request, slug)
    period, error = _period(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    pack = meeting_pack_department_get(department=department, period=period, user=request.user)
    body = meeting_pack_pdf(name=department.name, period=period, sections=department_sections(pack=pack))
    return _pdf(body, f"meeting-pack-{department.slug}-{period.label}")


def _company(request: HttpRequest):
    if not meeting_pack_company_visible(user=request.user):
        raise PermissionDenied(COMPANY_ONLY)
    period, error = _period(request)
    return period, error, meeting_pack_company_get(period=period)


def company_pack_view(request: HttpRequest, *, site) -> HttpResponse:
    period, error, pack = _company(request)
    return _render(
        request,
        site,
        title=f"Company: meeting pack {period}",
        period=period,
        error=error,
        department=None,
        opening=company_opening(pack=pack),
        sections=company_sections(pack=pack),
    )


def company_pack_pdf_view(request: HttpRequest, *, site) -> HttpResponse:
    period, error, pack = _company(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    body = meeting_pack_pdf(
        name="Company", period=period, sections=company_sections(pack=pack), opening=company_opening(pack=pack)
    )
    return _pdf(body, f"meeting-pack-company-{period.label}")
