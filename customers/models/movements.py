"""Customer segments and the ledger of customers gained and lost (with loss reasons)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import bounded_text


class CustomerSegment(models.Model):
    """A group of customers managed alike, usually a value tier (strategic, growth, core…)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = bounded_text(2000, blank=True)
    rank = models.PositiveSmallIntegerField(default=0, help_text="Display order: most valuable first.")

    class Meta:
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class LossReason(models.Model):
    """Why customers leave; a list the CCO office keeps, each reason owned by an accountable department."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountable_loss_reasons",
        verbose_name="accountable department",
        help_text="The department accountable for stopping these losses (CCO staff set it). Empty: no owner.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerMovement(models.Model):
    """A ledger line: on a date, N customers of a segment were gained or lost."""

    class Kind(models.TextChoices):
        GAINED = "gained", "Gained"
        LOST = "lost", "Lost"

    date = models.DateField()
    kind = models.CharField(max_length=6, choices=Kind.choices)
    segment = models.ForeignKey(CustomerSegment, on_delete=models.PROTECT, related_name="movements")
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="customer_movements",
        help_text="The department accountable, where known.",
    )
    count = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0, help_text="Yearly revenue at stake.")
    profit = models.DecimalField(max_digits=14, decimal_places=2, default=0, help_text="Yearly profit at stake.")
    loss_reason = models.ForeignKey(
        LossReason, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=50, blank=True, default="manual")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # A period's movements with what the review pages sum of them (by kind, segment, loss
            # reason): the dashboard's segments and loss reasons read this index alone.
            models.Index(
                fields=["date", "kind", "segment", "loss_reason", "department", "count", "profit"],
                name="movement_date_cover",
            ),
            models.Index(fields=["department", "date"], name="movement_department_date"),
            # Customers lost for some reasons in a few quarters (follow-through, the meeting packs),
            # and a quarter's losses by reason (the dashboard): the lost rows of those dates alone,
            # not every movement of the quarters.
            models.Index(fields=["loss_reason", "date", "kind", "count", "profit"], name="movement_reason_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gt=0),
                name="movement_count_positive",
                violation_error_message="The customer count must be a positive number.",
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0),
                name="movement_revenue_not_negative",
                violation_error_message="Revenue at stake cannot be negative.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="lost") & Q(loss_reason__isnull=False))
                | (Q(kind="gained") & Q(loss_reason__isnull=True)),
                name="movement_reason_iff_lost",
                violation_error_message="A loss needs a loss reason, and a gain has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.count} {self.segment} customers {self.kind}"
