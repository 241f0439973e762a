"""Customer metrics everyone agrees on, and the one ledger of customers gained and lost."""

from customers.models.metrics import Metric, Reading, Target
from customers.models.movements import CustomerMovement, CustomerSegment, LossReason

__all__ = ["CustomerMovement", "CustomerSegment", "LossReason", "Metric", "Reading", "Target"]
