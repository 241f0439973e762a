"""The cross-silo roadmap: roadmaps, initiatives, tasks, hand-offs (dependencies) and check-ins.

Rules that must hold for every write path live in database constraints and in
`clean()`; services are the one door that runs `full_clean()` before saving.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from org.models import Department


class Health(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


class Roadmap(models.Model):
    """The one cross-silo plan for customers over a period; one roadmap is active at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=200, unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="roadmap_period_ordered",
                violation_error_message="The roadmap's period must end on or after its start.",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="roadmap_one_active",
                violation_error_message="Only one roadmap can be active at a time.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(models.Model):
    """A customer priority on the roadmap, owned by the CCO office, moving named metrics."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=200)
    outcome = models.TextField(help_text="The customer outcome this initiative should bring.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_initiatives")
    departments = models.ManyToManyField(
        Department, through="InitiativeDepartment", related_name="initiatives", blank=True
    )
    metrics = models.ManyToManyField("customers.Metric", related_name="initiatives", blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    health = models.CharField(max_length=5, choices=Health.choices, default=Health.GREEN)
    pooled_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="pooled_from",
        help_text="Set when CCO staff pooled this initiative's spending into another (roadmap.services).",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["roadmap", "start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(pooled_into=models.F("pk")),
                name="initiative_not_pooled_into_itself",
                violation_error_message="An initiative cannot be pooled into itself.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_ordered",
                violation_error_message="The initiative must end on or after its start.",
            ),
            models.UniqueConstraint(
                fields=["roadmap", "title"],
                name="initiative_title_unique_per_roadmap",
                violation_error_message="This roadmap already has an initiative with this title.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeDepartment(models.Model):
    """A department's budget line on an initiative: what it puts in and what for (to expose duplicate spend).

    The line's period is its initiative's dates. Its purpose names the metrics, loss reasons and
    segments the money aims at; two departments aiming at the same one in overlapping periods
    is duplicate spending (docs/domain.md).
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="initiative_links")
    budget = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    metrics = models.ManyToManyField("customers.Metric", related_name="budget_lines", blank=True)
    loss_reasons = models.ManyToManyField("customers.LossReason", related_name="budget_lines", blank=True)
    segments = models.ManyToManyField("customers.CustomerSegment", related_name="budget_lines", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "department"],
                name="initiative_department_unique",
                violation_error_message="This department is already part of the initiative.",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="initiative_department_budget_not_negative",
                violation_error_message="A budget cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} in {self.initiative}"


class Task(models.Model):
    """What one department will do for one initiative, by when, owned by one person."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
        help_text="Empty: reminders go to the department head.",
    )
    due_date = models.DateField()
    allow_outside_initiative_dates = models.BooleanField(
        default=False, help_text="Allow a due date outside the initiative's start and end."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        help_text="Tasks this one waits on; across departments these are hand-offs.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=[depends_on])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["department", "due_date"], name="task_department_due"),
            models.Index(fields=["owner", "due_date"], name="task_owner_due"),
            models.Index(fields=["status", "due_date"], name="task_status_due"),
            # Covers the roadmap grid's count of tasks per initiative, department and status.
            models.Index(fields=["initiative", "department", "status", "due_date"], name="task_grid"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="task_percent_in_range",
                violation_error_message="Percent complete must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_at__isnull=False))
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="task_completed_at_iff_done",
                violation_error_message="A done task needs a completion time, and only a done task has one.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        initiative = self.initiative if self.initiative_id else None
        outside = bool(initiative and self.due_date) and not (
            initiative.start_date <= self.due_date <= initiative.end_date
        )
        if outside and not self.allow_outside_initiative_dates:
            errors["due_date"] = (
                f"The due date must fall within the initiative's dates "
                f"({initiative.start_date} to {initiative.end_date}); tick "
                f"'allow outside initiative dates' to override."
            )
        if self.status == self.Status.DONE and self.completed_at is None:
            errors["completed_at"] = "A done task needs a completion time."
        if self.status != self.Status.DONE and self.completed_at is not None:
            errors["completed_at"] = "Only a done task has a completion time."
        if errors:
            raise ValidationError(errors)


class CheckIn(models.Model):
    """The owner's dated progress note on a task: percent and confidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="check_ins")
    date = models.DateField()
    note = models.TextField(blank=True)
    percent_complete = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    confidence = models.CharField(max_length=5, choices=Health.choices, default=Health.GREEN)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["task", "date"], name="checkin_task_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="checkin_percent_in_range",
                violation_error_message="Percent complete must be between 0 and 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} on {self.date}"


# The task force's pledges and meetings live in their own module; importing them here registers them.
from roadmap.pledges import Meeting, Pledge  # noqa: E402, F401
