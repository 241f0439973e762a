from accountability.models.customers import CustomerMovement, CustomerSegment, LossReason
from accountability.models.idempotency import IdempotencyKey
from accountability.models.metrics import Metric, Reading, Target
from accountability.models.recognition import Recognition
from accountability.models.recompute import RecomputeRequest, ScheduledRun
from accountability.models.reminders import Message, ReminderSettings
from accountability.models.scorecards import Scorecard, ScorecardLine, ScorecardSettings

__all__ = [
    "CustomerMovement",
    "CustomerSegment",
    "IdempotencyKey",
    "LossReason",
    "Message",
    "Metric",
    "Reading",
    "Recognition",
    "RecomputeRequest",
    "ReminderSettings",
    "ScheduledRun",
    "Scorecard",
    "ScorecardLine",
    "ScorecardSettings",
    "Target",
]
