"""The budget view (page and CSV) and CCO staff's "pool them" action on duplicate spending."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from org.selectors import user_is_cco_staff
from review.exports.budget import budget_csv
from review.selectors import dashboard as periods
from roadmap.budget import budget_get
from roadmap.models import Initiative
from roadmap.services import initiatives_pool

POOL_STAFF_ONLY = "Only CCO staff pool initiatives."
POOL_DONE = "{source} pooled into {target}: one initiative, its history kept."
POOL_UNKNOWN = "Choose two initiatives to pool: {field} is missing or unknown."


def _period(request: HttpRequest):
    try:
        return periods.review_period(text=request.GET.get("period")), None
    except ValueError as exc:
        return periods.review_period(text=None), str(exc)


def budget_view(request: HttpRequest, *, site) -> HttpResponse:
    period, error = _period(request)
    context = {
        **site.each_context(request),
        "title": f"Budget by purpose {period}",
        "budget": budget_get(period=period),
        "period": period,
        "previous": period.previous,
        "next": period.next,
        "error": error,
        "is_cco_staff": user_is_cco_staff(user=request.user),
    }
    return TemplateResponse(request, "admin/review/budget.html", context)


def budget_export_view(request: HttpRequest, *, site) -> HttpResponse:
    period, _error = _period(request)
    response = HttpResponse(budget_csv(budget=budget_get(period=period)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{period.label}.csv"'
    return response


def _initiative(request: HttpRequest, field: str) -> Initiative:
    value = request.POST.get(field, "")
    initiative = Initiative.objects.select_related("roadmap").filter(pk=value).first() if value.isdigit() else None
    if initiative is None:
        raise ValidationError({field: POOL_UNKNOWN.format(field=field)})
    return initiative


@require_POST
def budget_pool_view(request: HttpRequest, *, site) -> HttpResponse:
    """Pool `source` into `target` (CCO staff); any refusal is shown on the budget page, nothing saved."""
    if not user_is_cco_staff(user=request.user):
        raise PermissionDenied(POOL_STAFF_ONLY)
    back = f"{reverse('admin:review_budget')}?period={request.POST.get('period', '')}"
    try:
        target, source = _initiative(request, "target"), _initiative(request, "source")
        initiatives_pool(target=target, source=source)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return HttpResponseRedirect(back)
    messages.success(request, POOL_DONE.format(source=source, target=target))
    return HttpResponseRedirect(back)
