"""Downloads: a scorecard as PDF/CSV (company or one department) and the user's tasks as CSV/XLSX."""

from __future__ import annotations

import tempfile

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from org.models import Department
from review.exports.scorecards import ScorecardExport, scorecard_csv, scorecard_pdf
from review.exports.tasks import tasks_csv, tasks_xlsx
from review.selectors import dashboard as selectors
from roadmap.selectors import task_list


class BadPeriod(ValueError):
    """The `period` of an export names no period (or one out of range)."""


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(body: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _scorecard_export(request: HttpRequest) -> ScorecardExport:
    try:
        period = selectors.review_period(text=request.GET.get("period"))
    except ValueError as exc:
        raise BadPeriod(f"period: {exc}") from None
    slug = request.GET.get("department")
    if slug:
        department = get_object_or_404(Department, slug=slug)
        data = selectors.department_review_get(department=department, period=period, user=request.user)
        return ScorecardExport(department.name, period, data.scorecard, data.lines, [(p, d) for p, d, _ in data.trend])
    data = selectors.dashboard_get(period=period)
    departments = [(row.department.name, row.scorecard) for row in data.rows]
    return ScorecardExport("Company", period, data.company, data.lines, data.trend, departments)


def scorecard_export_view(request: HttpRequest, fmt: str, *, site) -> HttpResponse:
    if fmt not in ("pdf", "csv"):
        raise Http404("Scorecards export as pdf or csv.")
    try:
        export = _scorecard_export(request)
    except BadPeriod as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    body = scorecard_pdf(export=export) if fmt == "pdf" else scorecard_csv(export=export)
    slug = request.GET.get("department") or "company"
    return _download(body, fmt, f"scorecard-{slug}-{export.period.label}")


def tasks_export_view(request: HttpRequest, fmt: str, *, site) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("Tasks export as csv or xlsx.")
    tasks = task_list(user=request.user).order_by("department__name", "due_date", "id")
    if request.GET.get("department"):
        tasks = tasks.filter(department__slug=request.GET["department"])
    if request.GET.get("status"):
        tasks = tasks.filter(status=request.GET["status"])
    # Streamed, so memory stays flat at any size: the CSV row by row as the client reads it, the
    # workbook from a temporary file (openpyxl's write-only mode keeps rows on disk).
    if fmt == "csv":
        response = StreamingHttpResponse(
            tasks_csv(tasks=tasks.iterator(chunk_size=2000)), content_type=CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = 'attachment; filename="tasks.csv"'
        return response
    workbook = tempfile.TemporaryFile()  # noqa: SIM115 (closed, and so deleted, by FileResponse once sent)
    tasks_xlsx(tasks=tasks.iterator(chunk_size=2000), into=workbook)
    workbook.seek(0)
    return FileResponse(workbook, as_attachment=True, filename="tasks.xlsx", content_type=CONTENT_TYPES[fmt])
