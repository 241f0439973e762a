"""A text-and-HTML email whose MIME bytes are built by hand, for messages sent by the thousand.

Django's `EmailMultiAlternatives.message()` builds the message through the standard library's
`email` package, and the SMTP backend then flattens it with a generator: about 1 ms of CPU a
message, more than sending it to a local mail server. This class writes the same
multipart/alternative structure directly as text (7bit where it can, quoted-printable where it
must), and keeps Django's behaviour where it matters: headers refuse line breaks, non-ASCII
headers are encoded, and every Django mail backend (SMTP, file, console, in-memory) sends it
unchanged, because they all only call `message()` and `as_bytes()`.

Anything this class was not built for (cc, bcc, reply-to, attachments, other alternatives)
falls back to Django's own `message()`.
"""

from __future__ import annotations

import binascii
import copy
import secrets
from email.header import Header
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

# RFC 5322's limit on a line, without its CRLF; longer lines need quoted-printable.
MAX_LINE = 998
# Headers written here; an extra header of the same name replaces the default.
OWN_HEADERS = {"content-type", "mime-version", "subject", "from", "to", "date", "message-id"}


class RawMime:
    """The finished bytes of a message, with the two methods Django's mail backends call."""

    def __init__(self, text: str) -> None:
        self._text = text

    def as_bytes(self, linesep: str = "\n") -> bytes:
        text = self._text if linesep == "\n" else self._text.replace("\n", linesep)
        return text.encode("ascii")

    def as_string(self, linesep: str = "\n") -> str:
        return self.as_bytes(linesep).decode("ascii")

    def get_charset(self) -> None:  # the console and file backends ask; the bytes are ASCII
        return None


def _header(name: str, value: str) -> str:
    value = str(value)
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for header {name!r})")
    if value.isascii() and len(name) + len(value) < 900:
        return f"{name}: {value}\n"
    return f"{name}: {Header(value, 'utf-8', header_name=name).encode()}\n"


def _address(value: str) -> str:
    if value.isascii() and "\n" not in value and "\r" not in value:
        return value
    return sanitize_address(value, "utf-8")  # IDNA domains, encoded display names; refuses line breaks


def _part(content: str, subtype: str) -> str:
    content = content.replace("\r\n", "\n")
    if content.isascii() and (len(content) <= MAX_LINE or max(map(len, content.split("\n"))) <= MAX_LINE):
        encoding, body = "7bit", content
    else:
        encoding = "quoted-printable"
        body = binascii.b2a_qp(content.encode("utf-8"), istext=True).decode("ascii")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\nMIME-Version: 1.0\n'
        f"Content-Transfer-Encoding: {encoding}\n\n{body}"
    )


class FastEmail(EmailMultiAlternatives):
    """`EmailMultiAlternatives` for one plain text body and one HTML alternative, built fast."""

    def _plain(self) -> bool:
        return not (self.cc or self.bcc or self.reply_to or self.attachments) and (
            len(self.alternatives) == 1 and self.alternatives[0][1] == "text/html" and self.content_subtype == "plain"
        )

    def __deepcopy__(self, memo: dict) -> FastEmail:
        """A plain message holds only strings, in lists and a dict: copying those is a deep copy.

        Django's in-memory backend deep-copies every message it keeps; the generic walk cost as
        much as building the message.
        """
        clone = memo[id(self)] = copy.copy(self)
        if not self._plain():
            clone.__dict__ = copy.deepcopy(self.__dict__, memo)
            return clone
        clone.to, clone.cc, clone.bcc, clone.reply_to = [*self.to], [], [], [*self.reply_to]
        clone.attachments, clone.alternatives = [], [*self.alternatives]  # (content, mimetype) tuples of str
        clone.extra_headers = {**self.extra_headers}
        clone.connection = copy.deepcopy(self.connection, memo)
        return clone

    def message(self):
        if not self._plain():
            return super().message()
        boundary = "==cco-" + secrets.token_hex(16)
        parts = [_part(self.body, "plain"), _part(self.alternatives[0][0], "html")]
        extra = {name.lower(): (name, value) for name, value in self.extra_headers.items()}
        head = [
            f'Content-Type: multipart/alternative; boundary="{boundary}"\nMIME-Version: 1.0\n',
            _header("Subject", self.subject),
            _header("From", _address(extra.pop("from", ("", self.from_email))[1])),
            _header("To", ", ".join(_address(to) for to in self.to)),
            _header("Date", (extra.pop("date", None) or ("", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))[1]),
            _header("Message-ID", (extra.pop("message-id", None) or ("", make_msgid(domain=DNS_NAME)))[1]),
        ]
        head += [_header(name, value) for key, (name, value) in extra.items() if key not in OWN_HEADERS]
        body = "".join(f"\n--{boundary}\n{part}" for part in parts)
        return RawMime("".join(head) + body + f"\n--{boundary}--\n")
