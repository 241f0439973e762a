"""Reminders, escalations and digests: the rules CCO staff set, and one delivery record per email."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

DAYS_MUST_BE_POSITIVE = "Days must be a whole number of at least 1 (zero and negative days are refused)."
DUE_SOON_DAYS_INVALID = "Enter whole numbers of days of at least 1, separated by commas, e.g. 3,1 (got {value!r})."
DUE_SOON_DAYS_EMPTY = "Enter at least one number of days, e.g. 3,1."
BATCH_SIZE_INVALID = "The batch size must be between 1 and 1000."


def parse_days(value: str) -> list[int]:
    """'3, 1' → [3, 1]; raises ValidationError naming the bad item for anything else."""
    items = [item.strip() for item in (value or "").split(",") if item.strip()]
    if not items:
        raise ValidationError(DUE_SOON_DAYS_EMPTY)
    days = []
    for item in items:
        if not item.isdigit() or int(item) < 1:
            raise ValidationError(DUE_SOON_DAYS_INVALID.format(value=item))
        days.append(int(item))
    return sorted(set(days), reverse=True)


def _positive(**kwargs) -> models.SmallIntegerField:
    # Signed on purpose: a negative number reaches our validator and its message, not the form's own.
    return models.SmallIntegerField(validators=[MinValueValidator(1, message=DAYS_MUST_BE_POSITIVE)], **kwargs)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ReminderSettings(models.Model):
    """The single row of reminder rules CCO staff edit in the admin (defaults apply until it exists)."""

    due_soon_days = models.CharField(
        max_length=50, default="3,1", help_text="Days before the due date to remind the owner, comma separated."
    )
    remind_on_due_date = models.BooleanField(
        default=False, help_text="Also remind the owner on the due date itself ('due today')."
    )
    overdue_daily_days = _positive(default=7, help_text="Remind the owner daily for this many days after the due date.")
    overdue_repeat_days = _positive(default=7, help_text="…then every this many days.")
    stale_days = _positive(default=14, help_text="An in-progress task with no check-in for this long is stale.")
    escalation_days = _positive(
        default=7, help_text="Escalate to the head when overdue or blocked for more than this many days."
    )
    digest_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)], help_text="Hour (0 to 23) in each recipient's time zone."
    )
    batch_size = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1, message=BATCH_SIZE_INVALID), MaxValueValidator(1000, BATCH_SIZE_INVALID)],
        help_text="Messages per delivery task.",
    )

    class Meta:
        verbose_name = "reminder settings"
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(overdue_daily_days__gte=1, overdue_repeat_days__gte=1)
                & Q(stale_days__gte=1, escalation_days__gte=1),
                name="reminder_settings_days_positive",
                violation_error_message=DAYS_MUST_BE_POSITIVE,
            ),
            models.CheckConstraint(
                condition=Q(batch_size__gte=1, batch_size__lte=1000),
                name="reminder_settings_batch_size_range",
                violation_error_message=BATCH_SIZE_INVALID,
            ),
        ]

    def __str__(self) -> str:
        return "Reminder settings"

    def clean(self) -> None:
        try:
            parse_days(self.due_soon_days)
        except ValidationError as exc:
            raise ValidationError({"due_soon_days": exc.messages}) from exc

    @property
    def due_soon_list(self) -> list[int]:
        """Days before the due date to remind on, with 0 (the due date) when that is switched on."""
        return parse_days(self.due_soon_days) + ([0] if self.remind_on_due_date else [])


class Message(models.Model):
    """One email for one subject, recipient, kind and local date: the claim that makes delivery exactly once.

    The unique constraint on (kind, subject_key, recipient, for_date) means a second sweep
    inserts nothing new; the status moves pending → sending (claimed by one worker) → sent,
    failed or skipped.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        STALE = "stale", "Stale"
        ESCALATION = "escalation", "Escalation"
        HANDOFF_ESCALATION = "handoff_escalation", "Hand-off escalation"
        HEAD_DIGEST = "head_digest", "Department head digest"
        CCO_DIGEST = "cco_digest", "CCO digest"
        NUDGE = "nudge", "Reminder sent from the admin"
        SLIP_APPROVAL = "slip_approval", "Slip waiting for the head"
        PROPOSAL_DECISION = "proposal_decision", "Proposal approved or sent back"
        LOSS_REASON_ALERT = "loss_reason_alert", "Top loss reason with no active initiative"
        FADE = "fade", "Task force fading"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    task = models.ForeignKey(
        "roadmap.Task", null=True, blank=True, on_delete=models.CASCADE, related_name="reminder_messages"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="reminder_messages"
    )
    # "task:<id>", "department:<id>", "decision:<id>" or "company": never NULL, so the unique
    # constraint holds for digests too.
    subject_key = models.CharField(max_length=40)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_messages")
    for_date = models.DateField(help_text="The recipient's local date this message is for.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Which worker's claim this is: a batch writes its outcomes only to the rows it still holds.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient opened it in the app (empty: unread)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-for_date", "-id"]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="message_status_enqueued"),
            models.Index(fields=["for_date", "kind"], name="message_date_kind"),
            models.Index(fields=["recipient", "read_at"], name="message_recipient_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_key", "recipient", "for_date"],
                name="message_once_per_subject_recipient_date",
                violation_error_message="This message was already recorded for this recipient and date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} on {self.for_date}"
