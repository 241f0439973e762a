"""`{% meeting_pack_link user period department %}`: a link to the meeting pack, for those who may read it.

A tag, so the dashboard and the department page link to the pack without their views knowing
of it; it asks review.selectors.meeting_pack who may read what (at most one query: a
head's departments).
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from org.selectors import user_headed_department_ids, user_sees_everything
from review.selectors.meeting_pack import meeting_pack_company_visible, meeting_pack_departments

register = template.Library()


@register.simple_tag
def meeting_pack_link(user, period, department=None) -> str:
    if department is None:
        if not meeting_pack_company_visible(user=user):
            # A head reads the packs of the departments they head (one query); anyone else none.
            links = [
                format_html(
                    '<a class="meeting-pack" href="{}?period={}">Meeting pack: {}</a>',
                    reverse("admin:review_meeting_pack_department", args=[d.slug]),
                    period,
                    d.name,
                )
                for d in meeting_pack_departments(user=user)
            ]
            return format_html_join("", "{}", ((link,) for link in links))
        url = reverse("admin:review_meeting_pack")
    else:
        if not (user_sees_everything(user=user) or department.pk in user_headed_department_ids(user=user)):
            return ""
        url = reverse("admin:review_meeting_pack_department", args=[department.slug])
    return format_html('<a id="meeting-pack" href="{}?period={}">Meeting pack</a>', url, period)
