"""An initiative's task force: pledged people, participation per month (a chart of its decay), who stopped."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from review import charts
from roadmap.models import Initiative
from roadmap.participation import Participation, initiative_participation


def participation_chart(participation: Participation):
    """Participation in % per month; the red band under half of the first month's is where a task force fades."""
    first = participation.first
    first_rate = float(first.rate * 100) if first and first.rate is not None else 0.0
    rates = [None if m.rate is None else m.rate * Decimal(100) for m in participation.months]
    return charts.trend_svg(
        labels=[m.label for m in participation.months],
        series=[("Participation %", rates)],
        green_from=first_rate,
        amber_from=first_rate / 2,
        title="Participation of the pledged people, per month (%)",
    )


def participation_view(request: HttpRequest, initiative_id: int, *, site) -> HttpResponse:
    initiative = get_object_or_404(Initiative.objects.select_related("roadmap"), pk=initiative_id)
    participation = initiative_participation(initiative=initiative)
    # A month is judged once it is over, as the fade alerts do: two days into a month look like a collapse.
    this_month = timezone.localdate().replace(day=1)
    judged = [m for m in participation.months if m.start < this_month]
    latest = judged[-1] if judged else None
    context = {
        **site.each_context(request),
        "title": f"Task force: {initiative.title}",
        "participation": participation,
        "latest": latest,
        "this_month": this_month,
        "stopped": participation.stopped(latest) if latest and latest.faded else [],
        "chart": participation_chart(participation),
    }
    return TemplateResponse(request, "admin/review/participation.html", context)
