"""Where the product may send things: checks of webhook and chat URLs, and of webhook secrets.

Both refuse a URL that points at the product itself (the host of SITE_URL): a webhook that
calls the product back would loop, and it is never what was meant.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

NOT_HTTP = "The URL must start with http:// or https:// (it is {scheme!r})."
NO_HOST = "The URL names no host."
SELF = "The URL points at this product itself ({host}); give the address of the other system."
SECRET_SHORT = "The secret must be at least {min} characters long (it is {length})."  # noqa: S105 (a message)
CHAT_UNKNOWN = (
    "This is not a chat URL apprise knows (e.g. slack://…, workflows://… for Microsoft Teams, mmost://…, "
    "matrix://…, json://…): check the scheme and the parts after it."
)
SECRET_MIN = 16


DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(parts) -> int | None:
    try:
        return parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None


def _not_self(url: str, field: str) -> None:
    """Refused: the product's own host, on its own port (or with no port named: a chat URL's service default)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return
    site = urlsplit(settings.SITE_URL)
    if not host or host.lower() != (site.hostname or "").lower():
        return
    port = _port(parts)
    if port is None or port == _port(site):
        raise ValidationError({field: SELF.format(host=host)})


def webhook_url_validate(url: str, *, field: str = "url") -> None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https"):
        raise ValidationError({field: NOT_HTTP.format(scheme=parts.scheme)})
    if not parts.hostname:
        raise ValidationError({field: NO_HOST})
    _not_self(url, field)


def webhook_secret_validate(secret: str, *, field: str = "secret") -> None:
    if len(secret or "") < SECRET_MIN:
        raise ValidationError({field: SECRET_SHORT.format(min=SECRET_MIN, length=len(secret or ""))})


def chat_url_validate(url: str, *, field: str = "url") -> None:
    """A URL apprise can send to (its scheme known, its parts well formed), not at the product itself."""
    import apprise  # imported here: loading its plugins takes a moment, and only chat needs it

    if apprise.Apprise.instantiate(url or "") is None:
        raise ValidationError({field: CHAT_UNKNOWN})
    _not_self(url, field)
