"""Notifications in the app: one's own reminders, escalations, digests and slip requests, as emailed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accountability.models import Message
from accountability.reminders.notifications import (
    notification_list,
    notification_open,
    notification_subject,
    notifications_mark_all_read,
)

PER_PAGE = 50
ALL_READ = "{count} notification(s) marked read."


def notifications_view(request: HttpRequest, *, site) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(m, notification_subject(message=m)) for m in page.object_list]
    context = {**site.each_context(request), "title": "Notifications", "page": page, "rows": rows}
    return TemplateResponse(request, "admin/review/notifications.html", context)


def notification_view(request: HttpRequest, message_id: int, *, site) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("task", "task__department", "department"), pk=message_id)
    try:
        subject, body = notification_open(message=message, user=request.user)
    except PermissionDenied as exc:
        context = {**site.each_context(request), "title": "Not your notification", "error": str(exc)}
        return TemplateResponse(request, "admin/review/notification.html", context, status=403)
    context = {
        **site.each_context(request),
        "title": subject,
        "message": message,
        "body": mark_safe(body),  # noqa: S308 - our own email template, rendered with autoescaping
    }
    return TemplateResponse(request, "admin/review/notification.html", context)


@require_POST
def notifications_read_view(request: HttpRequest, *, site) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, ALL_READ.format(count=count))
    return HttpResponseRedirect(reverse("admin:review_notifications"))
