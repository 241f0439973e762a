"""API request bodies over the limit get a JSON 413 naming it, before anything reads them.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when it is read, with its HTML 400;
on the API the answer must be JSON and say what the limit is. The limit (API_MAX_BODY_MB)
fits the documented bulk feeds: 5,000 movements with 500-character notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

TOO_LARGE = "The request body is larger than the limit of {limit} bytes ({mb} MB); send fewer rows per request."


def too_large_response() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse({"detail": TOO_LARGE.format(limit=limit, mb=limit // 2**20)}, status=413)


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return too_large_response()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A body without Content-Length (chunked) is measured as it is read.
        if request.path.startswith("/api/") and isinstance(exception, RequestDataTooBig):
            return too_large_response()
        return None


def _declared_length(request: Any) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
