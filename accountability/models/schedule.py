"""Which once-only scheduled runs already happened (the nightly recompute, closing a period)."""

from django.db import models


class ScheduledRun(models.Model):
    """A claim that a once-only scheduled job ran: the nightly recompute of a local date, a period's closing."""

    name = models.CharField(max_length=60, unique=True)
    last_run_on = models.DateField(null=True, blank=True, help_text="Local date of the last run.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.last_run_on})"
