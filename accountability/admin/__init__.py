"""Admin of the accountability app, one module per area; importing them registers the admin classes.

(Scorecards and reminders have their own modules, written with their issues.)
"""

from accountability.admin import customers, metrics, recognition

__all__ = ["customers", "metrics", "recognition"]
