"""Idempotency keys of bulk feeds: a retried batch returns the first answer instead of writing again."""

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for one endpoint, the hash of the body it came with, and the answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "endpoint", "key"],
                name="idempotency_key_unique",
                violation_error_message="This idempotency key was already used for this endpoint.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint} {self.key}"


class JobRun(models.Model):
    """What beat and the Celery workers last did with one task name, kept for the health checks and metrics.

    One row per task name, written by Celery's signals (`core/job_runs.py`): beat notes when it
    sent a scheduled task, a worker when a task succeeded, failed or was retried. The counts
    only grow, so Prometheus can read them as counters from any web process
    (docs/operations.md).
    """

    name = models.CharField(max_length=200, unique=True, help_text="The Celery task name.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True, help_text="When beat last sent it.")
    last_succeeded_at = models.DateTimeField(null=True, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, help_text="The last failure's exception class.")
    last_worker = models.CharField(max_length=200, blank=True, help_text="The worker that last ran it.")
    succeeded = models.PositiveBigIntegerField(default=0)
    failed = models.PositiveBigIntegerField(default=0)
    retried = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
