"""A local HTTP peer for chat and webhook tests: scripted answers, every request recorded.

`answers` is a list of (status, headers) given in turn to the requests (then 200 for the
rest); `delay` seconds before each answer make a slow receiver (timeouts).
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: Any  # case-insensitive, as HTTP header names are
    body: bytes
    status: int = 200

    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class Peer:
    answers: list[int] = field(default_factory=list)
    delay: float = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reply: dict | str = field(default_factory=dict)  # the body of a 2xx (Slack answers "ok", Matrix an event id)
    error: dict | str = field(default_factory=lambda: {"error": "scripted"})  # the body of a refusal
    script_on: str = ""  # only requests whose path contains this get the scripted answers (Matrix: "/send/")
    in_flight: int = 0  # requests read and not yet answered (nor dropped)

    def next_status(self, path: str) -> int:
        with self.lock:
            return self.answers.pop(0) if self.answers and self.script_on in path else 200

    def accepted(self) -> list[Received]:
        """The posts this peer took (2xx): what a service would show."""
        return [r for r in self.posts() if r.status < 300]

    def posts(self) -> list[Received]:
        """The requests that carried a message (not a Matrix login or join)."""
        return [r for r in self.received if self.script_on in r.path and r.method in ("POST", "PUT")]


def _handler(peer: Peer):
    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            with peer.lock:
                peer.in_flight += 1
            try:
                self._answer()
            finally:
                with peer.lock:
                    peer.in_flight -= 1

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if peer.delay:
                threading.Event().wait(peer.delay)
                if self._client_gone():  # killed while waiting: the service drops the request, as SMTP does
                    return
            status = peer.next_status(self.path)
            with peer.lock:
                peer.received.append(Received(self.command, self.path, self.headers, body, status))
            reply = peer.reply if status < 300 else peer.error
            payload = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _client_gone(self) -> bool:
            """The client closed its end (a killed worker): peeked at the TCP level, under any TLS."""
            raw = socket.fromfd(self.connection.fileno(), socket.AF_INET, socket.SOCK_STREAM)
            raw.setblocking(False)
            try:
                return raw.recv(1, socket.MSG_PEEK) == b""
            except (BlockingIOError, InterruptedError):
                return False
            except OSError:
                return True
            finally:
                raw.close()  # a duplicate descriptor: the connection stays open

        do_POST = do_PUT = do_GET = _any

        def log_message(self, *args) -> None:
            pass

    return Handler


class PeerServer:
    def __init__(self, peer: Peer, *, tls: tuple[str, str] | None = None) -> None:
        self.peer = peer
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
        if tls:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
