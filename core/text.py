"""Free text with a maximum length, refused beyond it everywhere: API, admin, imports and services.

A TextField's `max_length` alone binds only forms and serializers; the validator makes the
models' full_clean() refuse it too. The limits are listed in docs/security.md.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models


def bounded_text(max_length: int, **kwargs: Any) -> models.TextField:
    return models.TextField(max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)
