"""Who may write metrics data, movements, recognitions and scorecard requests."""

from __future__ import annotations

from typing import Any

from org.permissions import SignedIn

DATA_WRITERS_ONLY = "Only CCO staff and department heads write readings and customer movements."
RECOGNITION_NOT_ALLOWED = "Recognitions are given, not changed."


class RecognitionWrites(SignedIn):
    """Everyone signed in with a role gives recognition, executives too (DOMAIN: anyone with a role)."""

    message = RECOGNITION_NOT_ALLOWED

    def allows(self, request: Any, view: Any) -> bool:
        return True
