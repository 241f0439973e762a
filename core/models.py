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
