"""Error reporting to Sentry, initialised by the settings only when SENTRY_DSN is set (docs/operations.md).

Django and Celery errors are sent with the request id as a tag, so a report leads to the log
lines of the same request and of the tasks it caused. No personal data is sent: no user
names, addresses or cookies (`send_default_pii` off).
"""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from core.request_id import request_id_get


def _tag_request_id(event: dict, hint: dict) -> dict:
    request_id = request_id_get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_request_id,
    )
