"""The roadmap grid (initiatives by departments) and an initiative's timeline with hand-offs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accountability.scorecards.follow_through import follow_through_get
from review import charts, numbers
from review.selectors.roadmap import Cell, Grid, initiative_timeline_get, roadmap_grid_get
from roadmap.models import Initiative


def _cell_html(cell: Cell | None, link: str | None) -> str:
    """A cell's counts; linked to the filtered task list only where the user may open the tasks."""
    if cell is None:
        return "<td>-</td>"
    total = f"{numbers.count(cell.total)} task{'' if cell.total == 1 else 's'}"
    if link:
        total = f'<a href="{link}">{total}</a>'
    parts = [f"<td><strong>{total}</strong>"]
    parts += [
        f'<br><span class="status-{code}">{label}: {numbers.count(n)}</span>' for code, label, n in cell.by_status
    ]
    if cell.overdue:
        parts.append(f'<br><span class="badge health-red">{numbers.count(cell.overdue)} overdue</span>')
    parts.append("</td>")
    return "".join(parts)


def grid_body_html(grid: Grid) -> SafeString:
    """The grid's rows as HTML, built here because the template engine is slow for hundreds of cells."""
    rows = []
    tasks_url = reverse("admin:roadmap_task_changelist")
    others = grid.others or [None] * len(grid.rows)
    for (initiative, cells), rest in zip(grid.rows, others, strict=True):
        url = reverse("admin:review_timeline", args=[initiative.pk])
        links = [
            f"{tasks_url}?initiative__id__exact={initiative.pk}&amp;department__id__exact={d.pk}"
            if grid.may_open(d.pk)
            else None
            for d in grid.departments
        ]
        rows.append(
            f'<tr><th scope="row"><a href="{url}">{escape(initiative.title)}</a><br>'
            f'<small><span class="date">{numbers.day(initiative.start_date)}</span> to '
            f'<span class="date">{numbers.day(initiative.end_date)}</span></small></th>'
            f'<td><span class="badge health-{initiative.health}">{initiative.get_health_display()}</span></td>'
            + "".join(_cell_html(cell, link) for cell, link in zip(cells, links, strict=True))
            + (_cell_html(rest, None) if grid.other_departments else "")
            + "</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - titles are escaped; the rest are our own values


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _link(request: HttpRequest, **changes) -> str:
    """This page's query string with some parameters changed (the pager's links)."""
    query = request.GET.copy()
    for name, value in changes.items():
        query[name] = value
    return "?" + query.urlencode()


def grid_view(request: HttpRequest, *, site) -> HttpResponse:
    # Out-of-range or malformed page numbers show the nearest page, as Django's paginator does.
    grid = roadmap_grid_get(
        user=request.user,
        roadmap_id=_number(request, "roadmap"),
        search=request.GET.get("q", "").strip()[:200],
        page=_number(request, "page") or 1,
        department_page=_number(request, "departments") or 1,
    )
    title = f"Roadmap grid: {grid.roadmap}" if grid.roadmap else "Roadmap grid"
    pager = {}
    for key, page, name in (("initiatives", grid.page, "page"), ("departments", grid.department_page, "departments")):
        if page is not None:
            pager[f"{key}_previous"] = _link(request, **{name: page.number - 1}) if page.has_previous() else None
            pager[f"{key}_next"] = _link(request, **{name: page.number + 1}) if page.has_next() else None
    context = {**site.each_context(request), "title": title, "grid": grid, "body": grid_body_html(grid), **pager}
    return TemplateResponse(request, "admin/review/grid.html", context)


def timeline_view(request: HttpRequest, initiative_id: int, *, site) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("roadmap", "owner"), pk=initiative_id)
    timeline = initiative_timeline_get(initiative=initiative, user=request.user)
    context = {
        **site.each_context(request),
        "title": f"Timeline: {initiative.title}",
        "timeline": timeline,
        "chart": charts.timeline_svg(timeline=timeline),
        "follow": follow_through_get(initiative=initiative),
    }
    return TemplateResponse(request, "admin/review/timeline.html", context)
