"""What every API endpoint shares: error bodies, pagination, ETags, the JSON 404 page.

Every 4xx is a JSON object naming the field (or `detail` when no one field is at fault) and
the reason; nothing an API client sends can produce a 500.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, pagination, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.versions import StaleVersionError, check_version

NON_FIELD = "non_field_errors"
CONFLICT = "This change conflicts with existing data: {error}"
IF_MATCH_MALFORMED = 'If-Match must be an ETag this API returned, e.g. "3".'
NOT_FOUND = "Not found."
SEARCH_NUL = "The search text cannot contain NUL characters."
MAX_PAGE_SIZE = 500

_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')

# The OpenAPI description of a versioned update.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag of the version you read, e.g. "3". Stale → 412 and nothing changes; absent → accepted.',
)
ETAG_RESPONSES = {412: OpenApiResponse(description="If-Match names an older version; nothing was changed.")}
VERSIONED_SCHEMA = extend_schema_view(partial_update=extend_schema(parameters=[IF_MATCH], responses=ETAG_RESPONSES))
# Updates are partial (PATCH) and nothing is deleted through the API.
WRITE_METHODS = ["get", "post", "patch", "head", "options"]


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django ValidationError → 400, StaleVersionError → 412, IntegrityError → 409."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, StaleVersionError):
        return Response({"If-Match": [str(exc)]}, status=status.HTTP_412_PRECONDITION_FAILED)
    elif isinstance(exc, RequestDataTooBig):  # a chunked body found too large while DRF read it
        return Response(
            {"detail": str(exc) or "Request body too large."}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    elif isinstance(exc, IntegrityError):
        # A race between two writers past full_clean(): the database constraint had the last word.
        return Response({"detail": CONFLICT.format(error=exc)}, status=status.HTTP_409_CONFLICT)
    response = exception_handler(exc, context)
    if response is not None and not isinstance(response.data, dict):
        response.data = {NON_FIELD: response.data}
    return response


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {NON_FIELD if k == "__all__" else k: v for k, v in exc.message_dict.items()}
    return {NON_FIELD: exc.messages}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = IF_MATCH_MALFORMED


def expected_version(request: Any) -> int | None:
    """The version an update is based on, from If-Match; None when the client sent none (or *)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = _ETAG.match(header)
    if not match:
        raise PreconditionFailed({"If-Match": [IF_MATCH_MALFORMED]})
    return int(match.group(1))


def etag(obj: Any) -> str:
    return f'"{obj.version}"'


class VersionedObjectMixin:
    """Retrieve and partial update with an ETag from `version`; `If-Match` guards updates.

    The view supplies `versioned_update(instance, expected_version, data)`, which calls a
    service that checks the version again under a row lock (the check here only spares work).
    """

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        version = expected_version(request)
        check_version(instance, version)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = self.versioned_update(instance, version, serializer.validated_data)
        fresh = self.get_queryset().get(pk=updated.pk)
        return Response(self.get_serializer(fresh).data, headers={"ETag": etag(fresh)})

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        response = super().create(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response


NOT_YOURS_TO_CHOOSE = 'Invalid pk "{pk_value}" - object does not exist or is not one you may choose here.'
NO_CHOICES_RULE = "{serializer}.{field} is a writable relation without a rule in Meta.choices (see core/choices.py)."
WRITES = ("POST", "PUT", "PATCH")


def writable_relations(serializer: serializers.Serializer, prefix: str = "") -> dict[str, serializers.Field]:
    """Every relation a client can set through this serializer, nested ones as `"outer.inner"`."""
    found: dict[str, serializers.Field] = {}
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        inner = getattr(field, "child_relation", None) or getattr(field, "child", None) or field
        if isinstance(inner, serializers.RelatedField):
            found[prefix + name] = inner
        elif isinstance(inner, serializers.Serializer):
            found.update(writable_relations(inner, prefix=f"{prefix}{name}."))
    return found


class ScopedRelations:
    """A serializer mixin: on writes, every writable relation takes its choices from `Meta.choices`.

    `Meta.choices(user=…, instance=…)` returns `{field: queryset}` (core/choices.py). An id the
    user may not choose is refused like an id that does not exist, with one message for both,
    so that a refusal confirms nothing. Reads and schema generation skip the rule.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or request.method not in WRITES:
            return
        rule = self.Meta.choices
        choices = rule(user=request.user, instance=self.instance)
        for path, field in writable_relations(self).items():
            if path not in choices:
                raise ImproperlyConfigured(NO_CHOICES_RULE.format(serializer=type(self).__name__, field=path))
            field.queryset = choices[path]
            field.error_messages["does_not_exist"] = NOT_YOURS_TO_CHOOSE


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=100`; a page size above the maximum is capped, not an error."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")  # a page the page-first path takes; others go DRF's way


class CountedPageNumberPagination(PageNumberPagination):
    """The same pages, links and errors, with the COUNT only when the page cannot tell it: the page
    is read first, and a page with fewer rows than the page size ends the list, so the count is
    the rows before it plus its own (a list that fits in one page is one query, not two); a full
    page takes the COUNT after it. A page past the end, `?page=last` and anything but a plain
    page number go DRF's way.
    (A `COUNT(*) OVER ()` on every row was tried: one query always, but it reads every matching
    row in full, and cost more than the COUNT from 400 rows a department on; bench/api_profile.py.)"""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        number = request.query_params.get(self.page_query_param) or "1"
        page_size = self.get_page_size(request)
        if not (page_size and _PAGE_NUMBER.fullmatch(number)):
            return super().paginate_queryset(queryset, request, view)
        number, start = int(number), (int(number) - 1) * page_size
        rows = list(queryset[start : start + page_size])
        if not rows and number > 1:
            return super().paginate_queryset(queryset, request, view)  # its 404, from its own count
        self.request = request
        paginator = self.django_paginator_class(queryset, page_size)
        if len(rows) < page_size:
            paginator.count = start + len(rows)  # a cached_property, given: this page is the last
        self.page = paginator.page(number)  # a full page: the paginator's COUNT
        self.page.object_list = rows
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return rows


# Dates, times and dataclasses as DRF writes them (DRF's renderer), not as orjson does.
_PASS_TO_DRF = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _not_plain(value: Any) -> Any:
    raise TypeError  # anything but plain JSON values: DRF's renderer takes the whole answer


class FastJSONRenderer(renderers.JSONRenderer):
    """DRF's compact JSON, byte for byte, written by orjson: about 3 times faster on a page of rows.

    For answers of plain values only (str, int, bool, None, lists, dicts): anything else (a
    Decimal, a date, a lazy string, a huge int), or an indent asked for, goes to DRF's renderer. Not for
    floats: orjson writes NaN as null where DRF refuses it, so only endpoints without floats use it.
    """

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_not_plain, option=_PASS_TO_DRF)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF: U+2028 and U+2029 escaped, so that the JSON is also valid JavaScript.
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class SearchFilter(filters.SearchFilter):
    """DRF's search, refusing NUL characters (PostgreSQL cannot compare with them)."""

    def get_search_terms(self, request: Any) -> list[str]:
        terms = super().get_search_terms(request)
        if any("\x00" in term for term in terms):
            raise exceptions.ValidationError({self.search_param: [SEARCH_NUL]})
        return terms


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """JSON for unknown API addresses, the normal page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return page_not_found(request, exception)
