"""The task force behind an initiative: each department's pledged people and hours, and its meetings.

Imported by `roadmap/models.py`, so these are models of the roadmap app; kept apart because they
answer a different question (who turns up) than the plan itself. Participation and fading are
defined in docs/domain.md and read by `roadmap/participation.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

PLEDGE_TWICE = "{person} is already pledged to {initiative}: change that pledge."
PLEDGE_OUTSIDE = "{person} is not a member or the head of {department}: a department pledges its own people."
MEETING_IN_FUTURE = "Attendance is recorded for meetings that took place: {date} is after today ({today})."


class Pledge(models.Model):
    """A department's commitment to an initiative: one named person and the hours a month they give."""

    initiative = models.ForeignKey("roadmap.Initiative", on_delete=models.CASCADE, related_name="pledges")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="pledges")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges")
    hours_per_month = models.DecimalField(max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "department", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person"],
                name="pledge_one_per_person_and_initiative",
                violation_error_message="This person is already pledged to this initiative.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gte=0),
                name="pledge_hours_not_negative",
                violation_error_message="Pledged hours cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.initiative} ({self.hours_per_month} h/month)"

    def clean(self) -> None:
        errors = {}
        if self.hours_per_month is not None and self.hours_per_month < 0:
            errors["hours_per_month"] = "Pledged hours cannot be negative."
        if self.department_id and self.person_id:
            department = self.department
            inside = department.head_id == self.person_id or department.members.filter(pk=self.person_id).exists()
            if not inside:
                errors["person"] = PLEDGE_OUTSIDE.format(person=self.person, department=department)
        if self.initiative_id and self.person_id:
            twice = Pledge.objects.filter(initiative_id=self.initiative_id, person_id=self.person_id)
            if twice.exclude(pk=self.pk).exists():
                errors["person"] = PLEDGE_TWICE.format(person=self.person, initiative=self.initiative)
        if errors:
            raise ValidationError(errors)


class Meeting(models.Model):
    """A task-force meeting of an initiative that took place, with who attended (recorded by CCO staff)."""

    initiative = models.ForeignKey("roadmap.Initiative", on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="meetings_attended", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["initiative", "date"], name="meeting_initiative_date")]

    def __str__(self) -> str:
        return f"{self.title or 'Meeting'} of {self.initiative} on {self.date}"

    def clean(self) -> None:
        today = timezone.localdate()
        if self.date and self.date > today:
            raise ValidationError({"date": MEETING_IN_FUTURE.format(date=self.date, today=today)})
