"""The error answers of every operation, in the OpenAPI schema (a drf-spectacular post-processing hook).

drf-spectacular documents what a view declares, mostly its 2xx. Clients also need the shapes
of the errors every endpoint can give: each is a JSON object, `{"detail": "…"}` or
`{"<field>": ["…"]}` (core/api.py).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": '`{"detail": "…"}`, or `{"<field>": ["…"]}` naming each field at fault.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
REASONS = {
    "400": "Bad input: the fields (or query parameters) at fault, each with its reasons. Nothing was changed.",
    "401": "No credentials, or an invalid, expired or revoked API key.",
    "403": "Your role does not allow this, or your account has no role.",
    "404": "No such object, or not one you may see.",
    "409": "This change conflicts with existing data.",
    "412": "If-Match names an older version; nothing was changed.",
    "413": "The request body is larger than the limit.",
    "429": "Too many requests, or too many failed logins: see Retry-After.",
}
WRITES = {"post", "put", "patch", "delete"}


def _codes(path: str, method: str) -> list[str]:
    codes = ["400", "401", "403", "429"]
    if "{" in path:
        codes.append("404")
    if method in WRITES:
        codes += ["409", "413"]
    if method == "patch":
        codes.append("412")
    return codes


def add_error_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method):
                responses.setdefault(
                    code, {"description": REASONS[code], "content": {"application/json": {"schema": reference}}}
                )
    return result
