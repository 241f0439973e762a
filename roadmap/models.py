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
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.text import bounded_text
from org.models import Department

CHECK_IN_IN_FUTURE = "A check-in cannot be dated after today ({today})."
CHECK_IN_BEFORE_TASK = "A check-in cannot be dated before its task was created ({created})."


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
    """A customer priority on the roadmap, owned by the CCO office, moving named metrics.

    Its customer case (segments, loss reasons, expected metric values, profit at stake) is what
    it must say before it may be proposed; `proposal` is where it stands: draft → proposed →
    approved, or sent back to its drafter (the decisions, with who and why, are `InitiativeDecision`).
    """

    class Proposal(models.TextChoices):
        DRAFT = "draft", "Draft"
        PROPOSED = "proposed", "Proposed"
        SENT_BACK = "sent_back", "Sent back"
        APPROVED = "approved", "Approved"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(max_length=200)
    outcome = bounded_text(2000, help_text="The customer outcome this initiative should bring.")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_initiatives")
    departments = models.ManyToManyField(
        Department, through="InitiativeDepartment", related_name="initiatives", blank=True
    )
    metrics = models.ManyToManyField("customers.Metric", related_name="initiatives", blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    health = models.CharField(max_length=5, choices=Health.choices, default=Health.GREEN)
    loss_reasons = models.ManyToManyField(
        "customers.LossReason",
        related_name="initiatives",
        blank=True,
        help_text="The reasons customers leave that it addresses.",
    )
    profit_at_stake = models.DecimalField(
        "yearly profit at stake",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The yearly profit of the customers it affects that is at stake.",
    )
    proposal = models.CharField(max_length=9, choices=Proposal.choices, default=Proposal.DRAFT, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="drafted_initiatives",
    )
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
    history = HistoricalRecords(excluded_fields=["version", "updated_at"], m2m_fields=[loss_reasons])

    class Meta:
        ordering = ["roadmap", "start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(profit_at_stake__gte=0) | Q(profit_at_stake__isnull=True),
                name="initiative_profit_at_stake_not_negative",
                violation_error_message="The profit at stake cannot be negative.",
            ),
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
    description = bounded_text(5000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
        help_text="Empty: reminders go to the department head.",
    )
    due_date = models.DateField()
    promised_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The promise: the due date first committed to (when the task left 'not started').",
    )
    slip_count = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Approved moves of the due date since the promise."
    )
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
            # A department's open, overdue and blocked tasks counted from the index alone (its review page).
            models.Index(fields=["department", "status", "due_date"], name="task_department_status_due"),
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

    @property
    def slip_days(self) -> int:
        """Days the due date moved since the promise: the sum of every approved slip's days."""
        return 0 if self.promised_date is None else (self.due_date - self.promised_date).days


class CheckIn(models.Model):
    """The owner's dated progress note on a task: percent and confidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="check_ins")
    date = models.DateField()
    note = bounded_text(2000, blank=True)
    percent_complete = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    confidence = models.CharField(max_length=5, choices=Health.choices, default=Health.GREEN)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["task", "date"], name="checkin_task_date"),
            # The changelist's order (newest first) and its date drill-down's first and last dates.
            models.Index(fields=["date", "id"], name="checkin_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="checkin_percent_in_range",
                violation_error_message="Percent complete must be between 0 and 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} on {self.date}"

    def clean(self) -> None:
        """Dated today or earlier, and not before the task existed (docs/domain.md): a check-in dated
        in the future would keep the task from ever going stale."""
        if self.date is None or self.task_id is None:
            return
        today = timezone.localdate()
        if self.date > today:
            raise ValidationError({"date": CHECK_IN_IN_FUTURE.format(today=today)})
        created = timezone.localdate(self.task.created_at) if self.task.created_at else None
        if created and self.date < created:
            raise ValidationError({"date": CHECK_IN_BEFORE_TASK.format(created=created)})


class Slip(models.Model):
    """One move of a committed task's due date: who moved it, when, from and to, by how many days, why.

    A slip within the rules moves the date at once (approved). One beyond `approval_days`, or
    a task's second slip, waits (pending) for the head of the task's department; the task keeps
    its old date until the head approves.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Waiting for the head"
        REJECTED = "rejected", "Refused"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="slips")
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="slips_made"
    )
    moved_at = models.DateTimeField()
    from_date = models.DateField()
    to_date = models.DateField()
    days = models.IntegerField(help_text="to - from: positive when the date moved later.")
    reason = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.APPROVED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="slips_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_at", "-id"]
        indexes = [
            models.Index(fields=["status", "moved_at"], name="slip_status_moved"),
            # The slips report's period: without it, its counts walked every task for its slips.
            models.Index(fields=["moved_at"], name="slip_moved_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="slip_one_pending_per_task",
                violation_error_message="This task already has a slip waiting for the head's decision.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="slip_has_reason",
                violation_error_message="A slip needs a reason.",
            ),
            models.CheckConstraint(
                condition=~Q(to_date=models.F("from_date")),
                name="slip_moves_the_date",
                violation_error_message="A slip moves the due date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.from_date} → {self.to_date}"


class SlipSettings(models.Model):
    """The single row of promise rules CCO staff edit in the admin (created by the migrations)."""

    approval_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="A slip of more than this many days waits for the head's approval (so does any second slip).",
    )

    class Meta:
        verbose_name = "slip settings"
        verbose_name_plural = "slip settings"

    def __str__(self) -> str:
        return "Slip settings"


# The customer case's rows and the proposal's decisions (kept apart to keep this file small).
from roadmap.case_models import InitiativeDecision, InitiativeExpectation, InitiativeSegment  # noqa: E402

__all__ = [
    "CheckIn",
    "Health",
    "Initiative",
    "InitiativeDecision",
    "InitiativeDepartment",
    "InitiativeExpectation",
    "InitiativeSegment",
    "Meeting",
    "Pledge",
    "Roadmap",
    "Slip",
    "SlipSettings",
    "Task",
]

# The task force's pledges and meetings live in their own module; importing them here registers them.
from roadmap.pledges import Meeting, Pledge  # noqa: E402
