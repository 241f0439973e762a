from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ChatChannel(models.Model):
    """Where chat messages go: a department's channel, or one person's direct target (an apprise URL).

    A department's channel gets the reminders, escalations, digests and approvals about that
    department; a person's target gets every message addressed to them.
    """

    department = models.OneToOneField(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_channel"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="chat_channel"
    )
    # Holds tokens (a Slack or Teams webhook is its own password): masked in the admin, write-only in logs.
    url = models.CharField(
        max_length=500,
        help_text="An apprise URL: slack://…, workflows://… (Microsoft Teams), mmost://…, matrix://…, json://…",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(person__isnull=True))
                | (Q(department__isnull=True) & Q(person__isnull=False)),
                name="chat_channel_department_or_person",
                violation_error_message="A chat channel belongs to one department or to one person, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"Chat channel of {self.department or self.person}"

    def clean(self) -> None:
        from integrations.targets import chat_url_validate

        chat_url_validate(self.url)


class ChatDelivery(models.Model):
    """One chat post of one message to one channel: the claim that makes it exactly once per channel.

    Unique on (channel, kind, subject, date): a department's channel gets one post for a
    hand-off escalation addressed to both heads. The status moves pending → sending (claimed by
    one worker under its token) → sent, failed or skipped, as email messages do.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey("accountability.Message", on_delete=models.CASCADE, related_name="chat_deliveries")
    kind = models.CharField(max_length=20)
    subject_key = models.CharField(max_length=40)
    for_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "chat deliveries"
        indexes = [models.Index(fields=["status", "enqueued_at"], name="chat_delivery_status_enqueued")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "kind", "subject_key", "for_date"],
                name="chat_delivery_once_per_channel",
                violation_error_message="This message was already recorded for this chat channel and date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} to {self.channel}"
