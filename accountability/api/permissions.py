"""Who may write metrics data, movements, recognitions and scorecard requests."""

from __future__ import annotations

from typing import Any

from org.permissions import SignedIn, reads_or_unrouted
from org.selectors import user_is_cco_staff, user_is_executive

DATA_WRITERS_ONLY = "Only CCO staff and department heads write readings and customer movements."
RECOGNITION_NOT_ALLOWED = "Executives read recognitions; CCO staff, heads and owners give them."


class RecognitionWrites(SignedIn):
    """Everyone signed in gives recognition except executives, who read and change nothing."""

    message = RECOGNITION_NOT_ALLOWED

    def allows(self, request: Any, view: Any) -> bool:
        if reads_or_unrouted(request, view):
            return True
        return user_is_cco_staff(user=request.user) or not user_is_executive(user=request.user)
