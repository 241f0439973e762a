"""Recognition: a public thank-you for exceptional customer work."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import bounded_text


class Recognition(models.Model):
    """Who recognised whom, for exactly one task, initiative or metric."""

    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognitions_given")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognitions_received"
    )
    task = models.ForeignKey("roadmap.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    initiative = models.ForeignKey(
        "roadmap.Initiative", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    metric = models.ForeignKey("customers.Metric", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = bounded_text(1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=False, initiative__isnull=True, metric__isnull=True)
                    | Q(task__isnull=True, initiative__isnull=False, metric__isnull=True)
                    | Q(task__isnull=True, initiative__isnull=True, metric__isnull=False)
                ),
                name="recognition_exactly_one_subject",
                violation_error_message="Recognise exactly one thing: a task, an initiative or a metric.",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("recipient")),
                name="recognition_not_self",
                violation_error_message="People cannot recognise themselves.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient}"
