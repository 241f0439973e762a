"""The calendar link page (make, see, revoke one's own link) and the feed a calendar app reads.

The feed answers to its token alone (calendar apps send no cookies): an unknown, revoked or
expired token, or a person who lost their role or was deactivated, is a plain 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from org.calendar_feeds import calendar_feed_create, calendar_feed_find, calendar_feed_get, calendar_feed_revoke
from review.calendar_ics import calendar_ics
from review.selectors.calendar import calendar_entries, user_zone

REVOKED = "Your calendar link was revoked: calendars subscribed to it no longer update."
NOTHING_TO_REVOKE = "You have no calendar link to revoke."


def calendar_link_view(request: HttpRequest, *, site) -> HttpResponse:
    """GET: one's link, if any (never its token). POST make: a new link, shown this once. POST revoke."""
    context = {**site.each_context(request), "title": "Your calendar link"}
    if request.method == "POST" and request.POST.get("action") == "revoke":
        messages.success(request, REVOKED if calendar_feed_revoke(user=request.user) else NOTHING_TO_REVOKE)
        return HttpResponseRedirect(reverse("admin:review_calendar"))
    if request.method == "POST":
        feed, token = calendar_feed_create(user=request.user)
        url = settings.SITE_URL.rstrip("/") + reverse("calendar-feed", args=[token])
        # The admin's views are never cached, so the one page that shows the token is not kept either.
        return TemplateResponse(request, "admin/review/calendar.html", {**context, "feed": feed, "url": url})
    return TemplateResponse(
        request, "admin/review/calendar.html", {**context, "feed": calendar_feed_get(user=request.user)}
    )


@require_safe
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar_feed_find(token=token)
    if feed is None:
        raise Http404("No such calendar.")
    user = feed.user
    zone = user_zone(user=user)
    name = f"CCO tracker: {user.get_full_name() or user.get_username()}"
    body = calendar_ics(name=name, entries=calendar_entries(user=user, zone=zone), zone=zone)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cco-tracker.ics"'
    response["Cache-Control"] = "private, no-store"  # a person's work: no shared cache keeps it
    return response
