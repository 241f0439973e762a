"""An initiative's customer case (segments affected, expected metric values) and its proposal's decisions.

Imported by `roadmap.models`, where Django finds them; refer to them from there.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class InitiativeSegment(models.Model):
    """A customer segment an initiative affects, and how many of its customers."""

    initiative = models.ForeignKey("roadmap.Initiative", on_delete=models.CASCADE, related_name="segment_links")
    segment = models.ForeignKey("customers.CustomerSegment", on_delete=models.PROTECT, related_name="initiative_links")
    customers = models.PositiveIntegerField(help_text="How many customers of this segment it affects.")

    class Meta:
        ordering = ["initiative", "segment"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "segment"],
                name="initiative_segment_unique",
                violation_error_message="This segment is already in the initiative's case.",
            ),
            models.CheckConstraint(
                condition=Q(customers__gt=0),
                name="initiative_segment_customers_positive",
                violation_error_message="The number of customers affected must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customers} {self.segment} customers"


class InitiativeExpectation(models.Model):
    """A metric an initiative should move: the value expected, and by when."""

    initiative = models.ForeignKey("roadmap.Initiative", on_delete=models.CASCADE, related_name="expectations")
    metric = models.ForeignKey("customers.Metric", on_delete=models.PROTECT, related_name="expectations")
    expected_value = models.DecimalField(max_digits=16, decimal_places=4)
    by_date = models.DateField("by", help_text="When the metric should reach the expected value.")

    class Meta:
        ordering = ["initiative", "by_date", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "metric"],
                name="initiative_expectation_unique",
                violation_error_message="This metric already has an expected value in the initiative's case.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.expected_value} by {self.by_date}"

    def clean(self) -> None:
        if not self.metric_id or self.expected_value is None:
            return
        error = self.metric.range_error(self.expected_value)
        if error:
            raise ValidationError({"expected_value": error})


class InitiativeDecision(models.Model):
    """One step of a proposal: proposed, approved or sent back, by whom, when and (sent back) why.

    `proposer` is who proposed it, on every step: the person told of an approval or a sending back.
    """

    class Action(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"

    initiative = models.ForeignKey("roadmap.Initiative", on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=9, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["initiative", "at"], name="initiative_decision_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="sent_back") | ~Q(reason=""),
                name="initiative_decision_sent_back_has_reason",
                violation_error_message="Say why it is sent back.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.get_action_display().lower()} on {self.at:%Y-%m-%d}"
