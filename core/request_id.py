"""A request id on every log line of a request, and of the Celery tasks that request causes.

The id comes from the caller's (or the proxy's) `X-Request-ID` header when it is a sane token,
else a new one is made; the answer carries it back in the same header. Tasks sent while
handling the request carry it in a message header (`request_id`), and the worker binds it while
the task runs, so tasks those tasks send carry it on too. A logging filter puts it, and the
running task's id and name, on each record (`cco/log_format.py` prints them).
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# Letters, digits and . _ : - only, at most 128: an id from outside never forges a log line.
VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("celery_task", default=None)
# The values to restore when a task ends, by task id (a task run in place, inside a request).
_tokens: dict[str, tuple] = {}


def request_id_get() -> str | None:
    return _request_id.get()


def request_id_from_header(value: str | None) -> str:
    """The caller's id when it is acceptable, else a new one."""
    if value and VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain: binds the id for the whole request and returns it in `X-Request-ID`."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from_header(request.headers.get(HEADER))
        request.request_id = request_id
        # Bound until the response is closed (`request_id_clear`), not only until this returns:
        # Django logs a 4xx or 5xx answer after the middleware chain, and that line needs the id too.
        _request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def request_id_clear(**kwargs) -> None:
    """On `request_finished`: no later line of this thread is taken for the request's."""
    _request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id`, `task_id` and `task_name` (empty when none) to every record of the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or ""
        task = _task.get()
        record.task_id, record.task_name = task if task else ("", "")
        return True


# --- Celery signal receivers (connected in core/apps.py) ---


def on_before_task_publish(headers=None, **kwargs) -> None:
    """Whoever sends a task (a request, or a task) passes its request id on in the message."""
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def on_task_prerun(task_id=None, task=None, **kwargs) -> None:
    request = task.request
    sent_with = getattr(request, TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    # A task run in place (eager, in a request) keeps the request's id when its message had none.
    request_id = str(sent_with) if sent_with and VALID.fullmatch(str(sent_with)) else _request_id.get()
    _tokens[task_id] = (_request_id.set(request_id), _task.set((task_id or "", task.name)))


def on_task_postrun(task_id=None, **kwargs) -> None:
    # Celery logs the task's outcome before this signal, so that line still carries the ids.
    tokens = _tokens.pop(task_id, None)
    if tokens:
        _request_id.reset(tokens[0])
        _task.reset(tokens[1])
