"""Reads of recognitions: public thank-yous, so every signed-in role reads them all."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accountability.models import Recognition
from core.choices import with_current
from customers.models import Metric
from org.selectors import UserLike
from roadmap.models import Initiative, Task
from roadmap.selectors import task_list


def recognition_list() -> QuerySet[Recognition]:
    return Recognition.objects.select_related("giver", "recipient")


def recognition_choices(*, user: UserLike, instance: Recognition | None) -> dict[str, QuerySet]:
    """A thank-you names a task the giver can see (so it confirms no other task exists), and an active person."""
    people = get_user_model().objects.filter(is_active=True).order_by("username")
    return {
        "recipient": with_current(people, instance, "recipient"),
        "task": with_current(Task.objects.filter(pk__in=task_list(user=user).values("pk")), instance, "task"),
        "initiative": Initiative.objects.all(),
        "metric": Metric.objects.all(),
    }
