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


@transaction.atomic
def recognition_update(*, recognition: Recognition, **fields: Any) -> Recognition:
    """Correct a recognition (CCO staff); the giver stays who gave it."""
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    fields.pop("giver", None)
    for name, value in fields.items():
        setattr(recognition, name, value)
    recognition.full_clean()
    recognition.save()
    return recognition
