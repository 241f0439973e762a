"""Models of the accountability floor: scorecards, reminders, recognition and scheduled runs."""

from accountability.models.recognition import Recognition
from accountability.models.reminders import Message, ReminderSettings
from accountability.models.schedule import ScheduledRun
from accountability.models.scorecards import Scorecard, ScorecardLine, ScorecardSettings

__all__ = [
    "Message",
    "Recognition",
    "ReminderSettings",
    "ScheduledRun",
    "Scorecard",
    "ScorecardLine",
    "ScorecardSettings",
]
