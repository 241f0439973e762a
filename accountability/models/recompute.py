"""What the database knows is stale, and which scheduled runs already happened."""

from django.db import models


class RecomputeRequest(models.Model):
    """Scorecards of one subject (a department, or the company) are stale since `requested_at`.

    One row per subject, however many edits: services upsert it inside their own transaction,
    and the sweep deletes it after recomputing unless it was requested again meanwhile.
    """

    COMPANY_KEY = "company"

    key = models.CharField(max_length=40, unique=True, help_text='"company" or "department-<id>".')
    department = models.ForeignKey(
        "roadmap.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a recompute message was last sent for this request."
    )

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Recompute {self.key} (since {self.requested_at:%Y-%m-%d %H:%M:%S})"


class ScheduledRun(models.Model):
    """A claim that a once-only scheduled job ran: the nightly recompute of a local date, a period's closing."""

    name = models.CharField(max_length=60, unique=True)
    last_run_on = models.DateField(null=True, blank=True, help_text="Local date of the last run.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.last_run_on})"
