"""Error reporting: Sentry is initialised only with SENTRY_DSN, and its reports carry the request id."""

from __future__ import annotations

import gzip
import http.server
import os
import subprocess
import sys
import threading

from tests.worker import ROOT

SCRIPT = """
import django, sentry_sdk
django.setup()
from core import request_id
print("active", sentry_sdk.get_client().is_active())
request_id._request_id.set("req-sentry-1")
try:
    1 / 0
except ZeroDivisionError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(5)
"""


def _run(**env: str) -> str:
    full = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    full.update(DJANGO_SETTINGS_MODULE="cco.settings", DEBUG="1", **env)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=full, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_a_dsn_nothing_is_initialised():
    assert "active False" in _run()


def test_with_a_dsn_errors_are_reported_with_the_request_id():
    received: list[bytes] = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(gzip.decompress(body) if self.headers.get("Content-Encoding") == "gzip" else body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        output = _run(SENTRY_DSN=f"http://public-key@127.0.0.1:{server.server_port}/42")
    finally:
        server.shutdown()
    assert "active True" in output
    body = b"".join(received)
    assert b"ZeroDivisionError" in body
    assert b'"request_id":"req-sentry-1"' in body.replace(b" ", b"")
