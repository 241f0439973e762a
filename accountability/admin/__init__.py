"""Admin of the accountability app, one module per area."""

from accountability.admin import scorecards  # noqa: F401
