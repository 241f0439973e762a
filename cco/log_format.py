"""Log lines stamped in UTC with an ISO 8601 time, whatever the machine's zone: as text, or as JSON.

`LOG_FORMAT=json` gives one JSON object per line, for a log shipper; the default is text. Both
carry the request id and the running Celery task, which `core.request_id.RequestIdFilter` puts
on each record (docs/operations.md#logs).
"""

import json
import logging
import time

# Record attributes added by core.request_id.RequestIdFilter, printed when not empty.
CONTEXT = ("request_id", "task_id", "task_name")


class UTCFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


class TextFormatter(UTCFormatter):
    """The format string's line, then `request_id=…` when the line belongs to a request (or a task it caused)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        request_id = getattr(record, "request_id", "")
        return f"{line} request_id={request_id}" if request_id else line


class JSONFormatter(UTCFormatter):
    """One JSON object per line: time, level, logger, process, message, the ids, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "process": record.processName,
            "pid": record.process,
            "message": record.getMessage(),
        }
        entry.update({key: value for key in CONTEXT if (value := getattr(record, key, ""))})
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
