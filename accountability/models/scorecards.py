"""Scorecard snapshots with their explaining lines, and the settings CCO staff control."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from accountability.models.weights import scorecard_settings_validate
from core.periods import Period, PeriodKind


class Colour(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "", "No score"


class ScorecardSettings(models.Model):
    """The single row of scoring and scheduling settings CCO staff edit in the admin."""

    delivery_weight = models.DecimalField(max_digits=6, decimal_places=2, default=2)
    growth_weight = models.DecimalField(max_digits=6, decimal_places=2, default=2)
    green_from = models.DecimalField(max_digits=5, decimal_places=2, default=80)
    amber_from = models.DecimalField(max_digits=5, decimal_places=2, default=50)
    stale_days = models.PositiveSmallIntegerField(default=14)
    nightly_recompute_hour = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(23)], help_text="Hour (0 to 23) in the organisation's time zone."
    )
    close_previous_period_on_day = models.PositiveSmallIntegerField(
        default=1, help_text="Day of a new period on which the previous period's snapshots are closed."
    )

    class Meta:
        verbose_name = "scorecard settings"
        verbose_name_plural = "scorecard settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(amber_from__lt=models.F("green_from")),
                name="scorecard_settings_bands_ordered",
                violation_error_message="The amber bound must be below the green bound.",
            ),
        ]

    def __str__(self) -> str:
        return "Scorecard settings"

    def clean(self) -> None:
        """Weights: none negative, and (with the active metrics' weights) more than zero in all."""
        scorecard_settings_validate(delivery_weight=self.delivery_weight, growth_weight=self.growth_weight)


class Scorecard(models.Model):
    """The computed view of one period and scope (company, department or owner)."""

    class Scope(models.TextChoices):
        COMPANY = "company", "Company"
        DEPARTMENT = "department", "Department"
        OWNER = "owner", "Owner"

    period_kind = models.CharField(max_length=7, choices=PeriodKind.choices)
    period_start = models.DateField()
    scope = models.CharField(max_length=10, choices=Scope.choices)
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="scorecards"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="scorecards"
    )
    computed_at = models.DateTimeField()
    closed = models.BooleanField(default=False, help_text="A closed period's snapshot is kept as it was.")
    outdated = models.BooleanField(
        default=False,
        help_text="Closed, and a recompute was asked since (its data may have changed): kept as it was, "
        "but not read as the period's current figures.",
    )
    has_data = models.BooleanField(default=True)
    overall_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    overall_colour = models.CharField(max_length=5, choices=Colour.choices, blank=True)
    change = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Overall score minus the previous period's."
    )
    delivery_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    metrics_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    growth_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    tasks_due = models.PositiveIntegerField(default=0)
    tasks_on_time = models.PositiveIntegerField(default=0)
    tasks_late = models.PositiveIntegerField(default=0)
    tasks_overdue = models.PositiveIntegerField(default=0)
    tasks_blocked = models.PositiveIntegerField(default=0)
    tasks_stale = models.PositiveIntegerField(default=0)
    on_time_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    customers_gained = models.PositiveIntegerField(default=0)
    customers_lost = models.PositiveIntegerField(default=0)
    customers_net = models.IntegerField(default=0)
    revenue_gained = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    revenue_lost = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    profit_gained = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    profit_lost = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["-period_start", "scope", "department", "owner"]
        indexes = [models.Index(fields=["period_kind", "period_start", "scope"], name="scorecard_period_scope")]
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start"],
                condition=Q(scope="company"),
                name="scorecard_one_company_per_period",
                violation_error_message="The company already has a scorecard for this period.",
            ),
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "department"],
                condition=Q(scope="department"),
                name="scorecard_one_per_department_period",
                violation_error_message="This department already has a scorecard for this period.",
            ),
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "owner"],
                condition=Q(scope="owner"),
                name="scorecard_one_per_owner_period",
                violation_error_message="This owner already has a scorecard for this period.",
            ),
            models.CheckConstraint(
                condition=Q(scope="company", department__isnull=True, owner__isnull=True)
                | Q(scope="department", department__isnull=False, owner__isnull=True)
                | Q(scope="owner", department__isnull=True, owner__isnull=False),
                name="scorecard_scope_matches_subject",
                violation_error_message="A scorecard's scope must match its department or owner.",
            ),
        ]

    def __str__(self) -> str:
        subject = self.department or self.owner or "Company"
        return f"{subject} {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)


class ScorecardLine(models.Model):
    """One explaining line of a scorecard: a part, its inputs and its result."""

    class Part(models.TextChoices):
        DELIVERY = "delivery", "Delivery"
        SAY_DO = "say_do", "Say/do"
        HANDOFF = "handoff", "Hand-off rate"
        TASK_FORCE = "task_force", "Participation"
        METRIC = "metric", "Metric attainment"
        GROWTH = "growth", "Customer growth"
        LOSS_REASON = "loss_reason", "Loss reason"
        SEGMENT = "segment", "Segment"
        BREAKDOWN = "breakdown", "Metric by segment"
        CHECK = "check", "Ledger check"
        OVERALL = "overall", "Overall"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    part = models.CharField(max_length=12, choices=Part.choices)
    metric = models.ForeignKey("customers.Metric", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(max_length=200)
    inputs = models.JSONField(default=dict, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    colour = models.CharField(max_length=5, choices=Colour.choices, blank=True)
    weight = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["scorecard", "position"]

    def __str__(self) -> str:
        return self.label
