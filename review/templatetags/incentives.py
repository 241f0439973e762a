"""Variable pay on the review pages: `{% pay_department department %}` and `{% pay_company %}`.

Inclusion tags, so the dashboard and the department page show pay without their views knowing
of it; each reads its plans (the department's, or every one) in three queries
(accountability.incentives.selectors).
"""

from __future__ import annotations

from django import template

from accountability.incentives.selectors import pay_company_share, pay_review

register = template.Library()


@register.inclusion_tag("admin/review/_pay_department.html")
def pay_department(department) -> dict:
    pays = pay_review(department_id=department.pk)
    return {"pay": pays[0] if pays else None, "department": department}


@register.inclusion_tag("admin/review/_pay_company.html")
def pay_company() -> dict:
    pays = pay_review()
    return {"pays": pays, "share": pay_company_share(pays=pays)}
