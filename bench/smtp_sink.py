"""A local SMTP server for the benchmarks: aiosmtpd, in its own process, that accepts and counts.

    .venv/bin/python bench/smtp_sink.py PORT

It keeps no mail. `NOOP stats` answers `250 sessions=<EHLO/HELO seen> messages=<n> distinct=<n>`
(distinct X-CCO-Message-Id headers), and `NOOP reset` zeroes the counts, so a benchmark can
check that every reminder arrived once, over one session per batch.
"""

from __future__ import annotations

import smtplib
import sys
import time


class CountingHandler:
    def __init__(self) -> None:
        self.sessions, self.messages, self.ids = 0, 0, set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        self.sessions += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_NOOP(self, server, session, envelope, arg):
        if arg == "reset":
            self.sessions, self.messages, self.ids = 0, 0, set()
        return f"250 sessions={self.sessions} messages={self.messages} distinct={len(self.ids)}"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content
        start = content.find(b"X-CCO-Message-Id: ")
        self.messages += 1
        self.ids.add(content[start + 18 : content.find(b"\r\n", start)] if start >= 0 else b"")
        return "250 Message accepted for delivery"


def command(port: int, arg: str) -> dict[str, int]:
    """Ask the sink at `port` for its counts (`stats`) or zero them (`reset`)."""
    with smtplib.SMTP("127.0.0.1", port) as client:
        _, reply = client.docmd("NOOP", arg)
    return {key: int(value) for key, value in (part.split("=") for part in reply.decode().split())}


if __name__ == "__main__":
    from aiosmtpd.controller import Controller

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)
