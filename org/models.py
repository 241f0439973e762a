"""The organisation: departments and people, and the stale marks every write leaves on a department.

Every other app stands on this one: who belongs where decides what a person may see and change
(`org.selectors`), and a write anywhere marks the scorecards of its department stale here
(`org.stale`), so a lower floor never has to import the scorecards above it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS


class Department(models.Model):
    """A silo of the organisation (sales, service, billing…), with a head and members."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """Per-user preferences: the time zone that decides a person's "today", and digest opt-out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_zone = models.CharField(max_length=64, blank=True, help_text="Empty: the organisation's time zone.")
    receive_digests = models.BooleanField(default=True, help_text="Escalations are always sent.")

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def clean(self) -> None:
        from zoneinfo import available_timezones

        if self.time_zone and self.time_zone not in available_timezones():
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}."})


class RecomputeRequest(models.Model):
    """Scorecards of one subject (a department, or the company) are stale since `requested_at`:
    those of the current month and quarter, or of one past period.

    One row per subject, however many edits: services upsert it inside their own transaction,
    and the sweep deletes it after recomputing unless it was requested again meanwhile.
    """

    COMPANY_KEY = "company"

    key = models.CharField(
        max_length=60, unique=True, help_text='"company" or "department-<id>", then "@<period>" for a past period.'
    )
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=7, blank=True, help_text="Empty: the current month and quarter.")
    period_start = models.DateField(null=True, blank=True)
    requested_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a recompute message was last sent for this request."
    )

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Recompute {self.key} (since {self.requested_at:%Y-%m-%d %H:%M:%S})"


class ApiKey(models.Model):
    """A person's API key, stored as its SHA-256 digest: the key itself is shown once, when made.

    The key is 256 random bits, so a plain digest is as safe to keep as a slow password hash
    and fast to look up on every request. `prefix` (its first characters) tells one's keys
    apart in lists. A key works until `expires_at` or until it is revoked (deleted).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. the integration using it.")
    prefix = models.CharField(max_length=8, help_text="The key's first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key, in hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username", "-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SweepClock(models.Model):
    """When the stale-mark sweep last started (one row). An edit made within
    SCORECARD_RECOMPUTE_DELAY of it is swept when that delay is over, so a burst coalesces;
    any later edit is swept at once (`org.stale.recompute_requests_enqueue`)."""

    name = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} started {self.started_at:%Y-%m-%d %H:%M:%S}"


class CalendarFeed(models.Model):
    """A person's private calendar link (an ICS URL a calendar app subscribes to), kept as the
    SHA-256 digest of its token: the link itself is shown once, when made.

    One per person: making a new link replaces the old one, revoking deletes it. Like an API key,
    the token is 256 random bits, so a plain digest is safe to keep and fast to look up.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    prefix = models.CharField(max_length=8, help_text="The token's first characters, to recognise the link.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, in hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = "calendar link"

    def __str__(self) -> str:
        return f"Calendar link of {self.user} ({self.prefix}…)"


class SsoMapping(models.Model):
    """A rule of single sign-on set by CCO staff: a person whose identity provider sends `claim`
    with `value` (equal, or among its values when the claim is a list) gets `role`, and, with a
    department, is a member of it (its head, for the head role, when it has none).

    For a person who signs in through the provider, the mappings decide their role at each sign-in
    (`org.sso`); a person matching none is not let in.
    """

    ROLE_CHOICES = [(name, name) for name in (CCO_STAFF, DEPARTMENT_HEADS, TASK_OWNERS, EXECUTIVES)]

    claim = models.CharField(max_length=100, default="groups", help_text='The claim\'s name, e.g. "groups" or "email".')
    value = models.CharField(max_length=200, help_text='The value that gives the role, e.g. "cco-office".')
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sso_mappings",
        help_text="Optional: the department the person belongs to (or heads, for the head role).",
    )

    class Meta:
        ordering = ["claim", "value", "role"]
        verbose_name = "single sign-on mapping"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "value", "role", "department"],
                name="sso_mapping_once",
                violation_error_message="This mapping exists already.",
            ),
        ]

    def __str__(self) -> str:
        where = f" in {self.department}" if self.department_id else ""
        return f"{self.claim} = {self.value} → {self.role}{where}"

    def clean(self) -> None:
        names = [name for name, _label in self.ROLE_CHOICES]
        if self.role and self.role not in names:
            raise ValidationError({"role": f"There is no role {self.role!r}: choose one of {', '.join(names)}."})


class SsoIdentity(models.Model):
    """Who a person is at the identity provider (its `sub` claim), linked on their first sign-in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity")
    subject = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subject"]
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"

    def __str__(self) -> str:
        return f"{self.user} at the identity provider"
