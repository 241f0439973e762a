"""A log filter that keeps secrets carried in URLs out of the logs.

A calendar app can only subscribe to a URL, so a calendar link's token is part of its path
(`/calendar/<token>.ics`). Django logs the path of every 4xx answer (`django.request`) and the
development server logs every request (`django.server`): this filter rewrites such lines
before any handler writes them.
"""

from __future__ import annotations

import logging
import re

SECRET_PATHS = re.compile(r"(/calendar/)[^/\s\"'?]+(\.ics)")
REDACTED = r"\1[redacted]\2"


class RedactSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = SECRET_PATHS.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
