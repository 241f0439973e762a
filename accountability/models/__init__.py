from accountability.models.customers import CustomerMovement, CustomerSegment, LossReason
from accountability.models.metrics import Metric, Reading, Target
from accountability.models.recognition import Recognition
from accountability.models.reminders import Message, ReminderSettings
from accountability.models.scorecards import Scorecard, ScorecardLine, ScorecardSettings

__all__ = [
    "CustomerMovement",
    "CustomerSegment",
    "LossReason",
    "Message",
    "Metric",
    "Reading",
    "Recognition",
    "ReminderSettings",
    "Scorecard",
    "ScorecardLine",
    "ScorecardSettings",
    "Target",
]
