"""Models of the accountability floor: scorecards, reminders, recognition and scheduled runs."""

from accountability.models.incentives import MetricConflict, PayPlan, PayWeight
from accountability.models.recognition import Recognition
from accountability.models.reminders import Message, ReminderSettings
from accountability.models.schedule import ScheduledRun
from accountability.models.scorecards import Scorecard, ScorecardLine, ScorecardSettings

__all__ = [
    "Message",
    "MetricConflict",
    "PayPlan",
    "PayWeight",
    "Recognition",
    "ReminderSettings",
    "ScheduledRun",
    "Scorecard",
    "ScorecardLine",
    "ScorecardSettings",
]
