"""django-import-export Resource for importing task-force meetings and who attended (CCO staff only).

One row per meeting: initiative (id or title), date (YYYY-MM-DD, today or earlier), title, and the
attendees' usernames separated by ";" or ",". The rules are the admin's and the API's: a running
(not cancelled) initiative, a meeting that took place, active people. Each is refused with a
message naming the column; the import is all or nothing (`review/imports.py`).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export import fields, widgets

from core.resources import CreateOnlyResource, IsoDateWidget, field
from org.selectors import user_is_cco_staff
from roadmap import task_force
from roadmap.models import Initiative, Meeting
from roadmap.resources import InitiativeWidget

UNKNOWN_PEOPLE = "No active user with username {names}: attendees are active people, named by username."
INITIATIVE_CANCELLED = "{initiative} is cancelled: its task force meets no more."


class PeopleWidget(widgets.Widget):
    """Usernames separated by ";" or ","; any unknown or inactive one is named in the refusal."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> list:
        names = [n for n in re.split(r"[;,]", str(value or "")) if n.strip()]
        names = list(dict.fromkeys(n.strip() for n in names))
        people = {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
        missing = [n for n in names if n not in people]
        if missing:
            raise ValueError(UNKNOWN_PEOPLE.format(names=", ".join(repr(n) for n in missing)))
        return [people[n] for n in names]


class MeetingResource(CreateOnlyResource):
    """Columns: initiative, date (required); title, attendees."""

    staff_only = True  # review/imports.py refuses the whole file to anyone else, as the admin and API do
    required = ("initiative", "date")
    initiative = field("initiative", InitiativeWidget())
    date = field("date", IsoDateWidget())
    title = field("title")
    attendees = fields.Field(attribute="attendee_list", column_name="attendees", widget=PeopleWidget())

    class Meta:
        model = Meeting
        fields = ("initiative", "date", "title", "attendees")
        force_init_instance = True
        skip_diff = True

    def import_instance(self, instance: Meeting, row: dict, **kwargs: Any) -> None:
        instance.attendee_list = []
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict
            if "attendee_list" in errors:  # named after the column, not the attribute holding it
                errors["attendees"] = errors.pop("attendee_list")
            raise ValidationError(errors) from None
        initiative = instance.initiative if instance.initiative_id else None
        if initiative is not None and initiative.status == Initiative.Status.CANCELLED:
            raise ValidationError({"initiative": INITIATIVE_CANCELLED.format(initiative=initiative)})
        instance.title = instance.title or ""
        instance.full_clean(exclude=["attendees"])  # a future date, named, before anything is saved

    def may_import(self, instance: Meeting) -> bool:
        return user_is_cco_staff(user=self.user)

    def create(self, instance: Meeting) -> Meeting:
        return task_force.meeting_create(
            initiative=instance.initiative, date=instance.date, title=instance.title, attendees=instance.attendee_list
        )
