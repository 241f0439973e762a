"""Admin of the accountability app, one module per area; importing them registers the admin classes."""

from accountability.admin import customers, metrics, recognition, reminders, scorecards

__all__ = ["customers", "metrics", "recognition", "reminders", "scorecards"]
