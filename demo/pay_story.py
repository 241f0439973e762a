"""The demo's variable pay: Service paid on talk time and on first-contact resolution, which pull against each other.

Sales is paid mostly on quarterly sales. Talk time and quarterly sales are measures that are not
about customers (`Metric.about_customers` off), so the review pages show each department's customer
share of pay, the company's, and Service's conflict.
"""

from __future__ import annotations

from decimal import Decimal

from accountability.incentives.services import metric_conflict_create, pay_plan_save
from customers.models import Metric
from demo.people import People

OTHERS = {
    "talk_time": ("Talk time", "minutes", Metric.Direction.LOWER),
    "quarterly_sales": ("Quarterly sales", "GBP", Metric.Direction.HIGHER),
}


def pay_build(*, people: People, metrics: dict[str, Metric]) -> int:
    """Two pay plans and one conflict; returns the number of plans."""
    departments = {d.slug: d for d in people.departments}
    others = {
        code: Metric.objects.update_or_create(
            code=code, defaults={"name": name, "unit": unit, "direction": direction, "about_customers": False}
        )[0]
        for code, (name, unit, direction) in OTHERS.items()
    }
    fcr, nps = metrics["first_contact_resolution"], metrics["nps"]
    pay_plan_save(department=departments["service"], weights=[(others["talk_time"], Decimal(3)), (fcr, Decimal(2))])
    pay_plan_save(department=departments["sales"], weights=[(others["quarterly_sales"], Decimal(3)), (nps, Decimal(1))])
    metric_conflict_create(metric_a=others["talk_time"], metric_b=fcr, why="Short calls leave problems unsolved.")
    return 2
