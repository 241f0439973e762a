"""Reads of reminder records, scoped to what a user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accountability.models import Message
from org.selectors import UserLike, user_headed_department_ids, user_sees_everything


def message_list(*, user: UserLike) -> QuerySet:
    """Reminder records: CCO staff and executives see all; a head those about their departments; anyone their own."""
    qs = Message.objects.select_related("recipient", "task", "department")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    headed = user_headed_department_ids(user=user)
    return qs.filter(Q(recipient=user) | Q(task__department_id__in=headed) | Q(department_id__in=headed))
