"""Customer metrics everyone agrees on: definitions, targets per period, and readings."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.periods import Period, PeriodKind
from core.text import bounded_text


class Metric(models.Model):
    """An agreed measure: unit, direction, how readings aggregate over a period, and its level."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sum"
        AVERAGE = "avg", "Average"
        LAST = "last", "Last value"

    class Level(models.TextChoices):
        COMPANY = "company", "Company"
        DEPARTMENT = "department", "Department"

    class Source(models.TextChoices):
        READINGS = "readings", "Readings (typed in, imported or fed)"
        LEDGER_GAINED = "ledger_gained", "Ledger: customers gained"
        LEDGER_LOST = "ledger_lost", "Ledger: customers lost"
        LEDGER_NET = "ledger_net", "Ledger: net customers"

    code = models.SlugField(max_length=50, unique=True, help_text="Stable identifier, e.g. 'customers' or 'nps'.")
    name = models.CharField(max_length=200)
    description = bounded_text(2000, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField(max_length=4, choices=Aggregation.choices, default=Aggregation.AVERAGE)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.DEPARTMENT)
    weight = models.DecimalField(
        max_digits=6, decimal_places=2, default=1, help_text="Weight of this metric in overall scores."
    )
    min_value = models.DecimalField(
        "lowest value",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="A reading below is refused. Left empty on a new metric: 0 (-100 for NPS). Empty later: no floor.",
    )
    max_value = models.DecimalField(
        "highest value",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="A reading above is refused. Left empty on a new metric: 100 for % and NPS, else no ceiling.",
    )
    source = models.CharField(
        max_length=14,
        choices=Source.choices,
        default=Source.READINGS,
        help_text="Ledger metrics are counted from the customer movements; no reading of them can be entered.",
    )
    active = models.BooleanField(default=True)
    about_customers = models.BooleanField(
        default=True,
        help_text="Untick for a measure that is not about customers (talk time, quarterly sales): in variable "
        "pay it counts against the customer share.",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(min_value__lte=F("max_value")),
                name="metric_range_in_order",
                violation_error_message="The lowest value cannot be above the highest value.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="metric_weight_not_negative",
                violation_error_message="A metric's weight cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.min_value is None and self.max_value is None:
            self.min_value, self.max_value = default_range(code=self.code, unit=self.unit)
        super().save(*args, **kwargs)

    @property
    def from_ledger(self) -> bool:
        return self.source != self.Source.READINGS

    def range_text(self) -> str:
        """ "0 to 100", "at least 0", "at most 5", or "any value"."""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return f"{number_text(low)} to {number_text(high)}"
        if low is not None:
            return f"at least {number_text(low)}"
        if high is not None:
            return f"at most {number_text(high)}"
        return "any value"

    def range_error(self, value: Decimal) -> str | None:
        """Why `value` cannot be a reading of this metric, or None."""
        if (self.min_value is not None and value < self.min_value) or (
            self.max_value is not None and value > self.max_value
        ):
            return OUT_OF_RANGE.format(value=number_text(value), metric=self.name, range=self.range_text())
        return None


OUT_OF_RANGE = "{value} is outside the range of {metric}: {range}."
LEDGER_READING = (
    "{metric} is counted from the customer movement ledger; record the customers gained or lost as "
    "customer movements instead of a reading."
)


def default_range(*, code: str, unit: str) -> tuple[Decimal | None, Decimal | None]:
    """The range a new metric gets from its unit: 0 to 100 for %, -100 to 100 for NPS, 0 upwards otherwise."""
    if code.lower() == "nps" or unit.strip().lower() == "nps":
        return Decimal(-100), Decimal(100)
    if unit.strip() == "%":
        return Decimal(0), Decimal(100)
    return Decimal(0), None


def number_text(value: Decimal) -> str:
    """4.0000 → "4", 180.5000 → "180.5", 1234567 → "1234567" (no grouping: also used in error messages)."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


class Target(models.Model):
    """The target value and amber threshold of a metric for one period (and department)."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="targets")
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text="Empty: the company-wide target.",
    )
    period_kind = models.CharField(max_length=7, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    period_start = models.DateField(help_text="First day of the month or quarter.")
    target_value = models.DecimalField(max_digits=16, decimal_places=4, help_text="Green from here.")
    amber_threshold = models.DecimalField(max_digits=16, decimal_places=4, help_text="Amber from here; red beyond.")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["-period_start", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "department", "period_kind", "period_start"],
                name="target_unique_per_department_period",
                violation_error_message="This metric already has a target for this department and period.",
            ),
            models.UniqueConstraint(
                fields=["metric", "period_kind", "period_start"],
                condition=Q(department__isnull=True),
                name="target_unique_company_period",
                violation_error_message="This metric already has a company target for this period.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)

    def clean(self) -> None:
        errors = {}
        if self.period_start:
            try:
                Period(self.period_kind, self.period_start)
            except ValueError as exc:
                errors["period_start"] = str(exc)
        if self.metric_id and self.target_value is not None and self.amber_threshold is not None:
            higher = self.metric.direction == Metric.Direction.HIGHER
            if higher and not self.amber_threshold < self.target_value:
                errors["amber_threshold"] = (
                    "Higher is better for this metric, so the amber threshold must be below the target."
                )
            if not higher and not self.amber_threshold > self.target_value:
                errors["amber_threshold"] = (
                    "Lower is better for this metric, so the amber threshold must be above the target."
                )
            if self.metric.level == Metric.Level.COMPANY and self.department_id:
                errors["department"] = "This is a company-level metric; leave the department empty."
        if errors:
            raise ValidationError(errors)


class Reading(models.Model):
    """A measured value of a metric on a date, for a department or the company (and a segment)."""

    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="readings")
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="readings",
        help_text="Empty for a company-level metric.",
    )
    segment = models.ForeignKey(
        "customers.CustomerSegment", null=True, blank=True, on_delete=models.PROTECT, related_name="readings"
    )
    date = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=50, blank=True, default="manual")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # A metric's readings of a period, with what their figures are made of: follow-through
            # sums a quarter's readings from this index alone (accountability.scorecards.readings).
            models.Index(fields=["metric", "date", "department", "segment", "value"], name="reading_metric_cover"),
            models.Index(fields=["department", "metric", "date"], name="reading_department_metric_date"),
            # The list's order, newest first, and its date drill-down's first and last dates.
            models.Index(fields=["date", "id"], name="reading_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} = {self.value} on {self.date}"

    def clean(self) -> None:
        if not self.metric_id:
            return
        errors = {}
        if self.metric.from_ledger:
            errors["metric"] = LEDGER_READING.format(metric=self.metric)
        elif self.value is not None and (error := self.metric.range_error(self.value)):
            errors["value"] = error
        if self.metric.level == Metric.Level.COMPANY and self.department_id:
            errors["department"] = f"{self.metric} is a company-level metric; a reading for it has no department."
        if self.metric.level == Metric.Level.DEPARTMENT and not self.department_id:
            errors["department"] = f"{self.metric} is a department-level metric; a reading for it needs a department."
        if errors:
            raise ValidationError(errors)
