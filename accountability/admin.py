"""Admin of the accountability app; importing the parts registers their admin classes."""

from accountability.incentives import admin as incentives
from accountability.recognition import admin as recognition
from accountability.reminders import admin as reminders
from accountability.scorecards import admin as scorecards

__all__ = ["incentives", "recognition", "reminders", "scorecards"]
