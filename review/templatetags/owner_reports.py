"""`{% owner_reports department period %}`: links to the accountability reports the reader may open.

An inclusion tag, so the department page links to its people's reports without its view knowing
of them (one query, `accountability.owner_report.owner_report_people`).
"""

from __future__ import annotations

from django import template

from accountability.owner_report import owner_report_people

register = template.Library()


@register.inclusion_tag("admin/review/_owner_reports.html", takes_context=True)
def owner_reports(context, department, period) -> dict:
    people = owner_report_people(user=context["request"].user, department=department)
    return {"people": people, "period": period, "department": department}
