"""Admin of the accountability app, one module per area."""

from accountability.admin import reminders  # noqa: F401
