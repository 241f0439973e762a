"""The one door for giving a recognition: a public thank-you for exceptional customer work."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accountability.models import Recognition


@transaction.atomic
def recognition_create(**fields: Any) -> Recognition:
    recognition = Recognition(**fields)
    recognition.full_clean()
    recognition.save()
    return recognition
