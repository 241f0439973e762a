"""Variable pay: which metrics a department's or a role's pay rewards, and which metrics pull against each other."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

ROLES = [
    ("CCO staff", "CCO staff"),
    ("Department heads", "Department heads"),
    ("Task owners", "Task owners"),
    ("Executives", "Executives"),
]


class PayPlan(models.Model):
    """The metrics in one department's or one role's variable pay, with their weights (`PayWeight`)."""

    department = models.OneToOneField(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="pay_plan"
    )
    role = models.CharField(max_length=40, choices=ROLES, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(role="")) | (Q(department__isnull=True) & ~Q(role="")),
                name="pay_plan_department_or_role",
                violation_error_message="A pay plan is for one department or one role, not both or neither.",
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=~Q(role=""),
                name="pay_plan_one_per_role",
                violation_error_message="This role already has a pay plan.",
            ),
        ]

    def __str__(self) -> str:
        return f"Pay of {self.department or self.role}"


class PayWeight(models.Model):
    """One metric in a pay plan and its weight (relative to the plan's other weights)."""

    plan = models.ForeignKey(PayPlan, on_delete=models.CASCADE, related_name="weights")
    metric = models.ForeignKey("customers.Metric", on_delete=models.PROTECT, related_name="pay_weights")
    weight = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["plan", "-weight", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "metric"],
                name="pay_weight_metric_once_per_plan",
                violation_error_message="This metric is already in the pay plan.",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="pay_weight_not_negative",
                violation_error_message="A weight cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}: weight {self.weight}"


class MetricConflict(models.Model):
    """Two metrics that pull against each other (talk time, first-contact resolution): rewarding both is a conflict."""

    metric_a = models.ForeignKey("customers.Metric", on_delete=models.CASCADE, related_name="+")
    metric_b = models.ForeignKey("customers.Metric", on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["metric_a", "metric_b"]
        constraints = [
            models.CheckConstraint(
                condition=Q(metric_a__lt=F("metric_b")),
                name="metric_conflict_ordered_pair",
                violation_error_message="Name two different metrics.",
            ),
            models.UniqueConstraint(
                fields=["metric_a", "metric_b"],
                name="metric_conflict_once",
                violation_error_message="These two metrics are already marked as pulling against each other.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric_a} against {self.metric_b}"
