"""Who may write metrics data, movements, recognitions and scorecard requests."""

from __future__ import annotations

from typing import Any

from org.permissions import SignedIn, reads_or_unrouted
from org.selectors import user_headed_department_ids, user_is_cco_staff

DATA_WRITERS_ONLY = "Only CCO staff and department heads write readings and customer movements."


class DataWrites(SignedIn):
    """Readings and movements: everyone signed in reads; CCO staff and heads write (per department in the view)."""

    message = DATA_WRITERS_ONLY

    def allows(self, request: Any, view: Any) -> bool:
        if reads_or_unrouted(request, view):
            return True
        return user_is_cco_staff(user=request.user) or bool(user_headed_department_ids(user=request.user))
