"""The roadmap grid (initiatives by departments) and an initiative's timeline with hand-offs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from cco import charts
from roadmap.models import Initiative
from roadmap.review_selectors import initiative_timeline_get, roadmap_grid_get


def grid_view(request: HttpRequest, *, site) -> HttpResponse:
    roadmap_id = request.GET.get("roadmap", "")
    grid = roadmap_grid_get(user=request.user, roadmap_id=int(roadmap_id) if roadmap_id.isdigit() else None)
    title = f"Roadmap grid: {grid.roadmap}" if grid.roadmap else "Roadmap grid"
    return TemplateResponse(
        request, "admin/review/grid.html", {**site.each_context(request), "title": title, "grid": grid}
    )


def timeline_view(request: HttpRequest, initiative_id: int, *, site) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("roadmap", "owner"), pk=initiative_id)
    timeline = initiative_timeline_get(initiative=initiative, user=request.user)
    context = {
        **site.each_context(request),
        "title": f"Timeline: {initiative.title}",
        "timeline": timeline,
        "chart": charts.timeline_svg(timeline=timeline),
    }
    return TemplateResponse(request, "admin/review/timeline.html", context)
