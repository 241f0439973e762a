"""The hand-built text-and-HTML email: what every Django mail backend sends, and what it refuses."""

import email
from email import policy

import pytest
from django.core.mail import BadHeaderError, get_connection

from core.mail import FastEmail


def _email(**fields) -> FastEmail:
    message = FastEmail(
        **{"subject": "Hello", "body": "Text", "to": ["ann@example.com"], "headers": {"X-Id": "7"}, **fields}
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    return message


def test_the_file_backend_writes_a_message_any_mail_reader_parses(tmp_path, settings):
    settings.EMAIL_FILE_PATH = str(tmp_path)
    sent = get_connection("django.core.mail.backends.filebased.EmailBackend").send_messages(
        [_email(subject="Café crème", to=["Zoë <zoe@example.com>"], body="Grüße\n" + "x" * 1200)]
    )
    assert sent == 1
    (path,) = tmp_path.iterdir()
    received = email.message_from_bytes(path.read_bytes().split(b"\n" + b"-" * 79)[0], policy=policy.default)
    text, html = (part.get_content() for part in received.iter_parts())
    assert (received["Subject"], received["To"], received["X-Id"]) == ("Café crème", "Zoë <zoe@example.com>", "7")
    assert received["Message-ID"] and received["Date"]
    assert (text, html) == ("Grüße\n" + "x" * 1200, "<p>HTML</p>")


def test_a_header_with_a_line_break_is_refused():
    with pytest.raises(BadHeaderError):
        _email(subject="Hello\nBcc: everyone@example.com").message()


def test_what_it_was_not_built_for_goes_through_djangos_own_builder():
    message = _email(cc=["boss@example.com"]).message()
    assert message["Cc"] == "boss@example.com" and message.is_multipart()


def test_a_deep_copy_is_a_separate_message_with_the_same_bytes():
    from copy import deepcopy

    headers = {"X-Id": "7", "Message-ID": "<m-1@example.com>", "Date": "Mon, 01 Jun 2026 12:00:00 -0000"}
    original = _email(headers=headers)
    copied = deepcopy(original)
    assert copied.message().as_bytes().split(b"boundary=")[0] == original.message().as_bytes().split(b"boundary=")[0]
    copied.to.append("bob@example.com")
    copied.extra_headers["X-Id"] = "8"
    assert (original.to, original.extra_headers["X-Id"]) == (["ann@example.com"], "7")
