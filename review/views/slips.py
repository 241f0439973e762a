"""The slips report: moved due dates per department and period, with who, when, how far and why."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from org.models import Department
from review.selectors.dashboard import review_period
from review.selectors.slips import slips_report_get
from roadmap.models import Slip
from roadmap.selectors import slip_list
from roadmap.slips import slip_approve, slip_reject

DECISION_UNKNOWN = "Choose to approve or to refuse the slip."
SLIP_APPROVED = "Slip approved: {task} is now due {to_date}."
SLIP_REFUSED = "Slip refused: {task} keeps its due date."


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
        # A task's page is this plus "<id>/change/": reversed once, not for each of the 250 slips listed.
        "tasks_url": reverse("admin:roadmap_task_changelist"),
        "error": error,
    }
    return TemplateResponse(request, "admin/review/slips.html", context)


@require_POST
def slip_decide_view(request: HttpRequest, slip_id: int, *, site) -> HttpResponse:
    """Approve or refuse a waiting slip from the home page; anything but its head gets the service's error."""
    slip = get_object_or_404(slip_list(user=request.user), pk=slip_id)
    decision = request.POST.get("decision")
    decide = {"approve": slip_approve, "reject": slip_reject}.get(decision)
    if decide is None:
        messages.error(request, DECISION_UNKNOWN)
    else:
        try:
            decided = decide(slip=slip, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = SLIP_APPROVED if decided.status == Slip.Status.APPROVED else SLIP_REFUSED
            messages.success(request, done.format(task=slip.task.title, to_date=slip.to_date.isoformat()))
    return HttpResponseRedirect(reverse("admin:index"))
