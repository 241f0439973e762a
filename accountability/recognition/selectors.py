"""Reads of recognitions: public thank-yous, so every signed-in role reads them all."""

from __future__ import annotations

from django.db.models import QuerySet

from accountability.models import Recognition


def recognition_list() -> QuerySet[Recognition]:
    return Recognition.objects.select_related("giver", "recipient")
