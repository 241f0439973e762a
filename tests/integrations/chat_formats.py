"""Each chat service as a local peer: its apprise URL, where its posts land, what it answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.integrations.receiver import Peer


@dataclass(frozen=True)
class Format:
    name: str
    url: str  # with {port}
    script_on: str  # the path of a post (not a Matrix login or join)
    reply: Any
    tls: bool = False
    in_process_only: bool = False  # its host cannot be named in the URL: pointed at the peer by a patch
    error: Any = None  # the body of a refusal, as the service writes it
    waits_out_429: bool = False  # apprise itself waits the Retry-After and posts again (Matrix)

    def peer(self, answers: list[int] | None = None) -> Peer:
        error = self.error if self.error is not None else {"error": "scripted refusal"}
        return Peer(answers=list(answers or []), script_on=self.script_on, reply=self.reply, error=error)


MATRIX_REPLY = {"event_id": "$1", "room_id": "!room:local", "user_id": "@cco:local"}
FORMATS = [
    Format("generic JSON", "json://127.0.0.1:{port}/hook", "/hook", {}),
    Format("Mattermost", "mmost://127.0.0.1:{port}/token123", "/hooks/token123", {}),
    Format(
        "Matrix",
        "matrix://token123@127.0.0.1:{port}/#cco?discovery=no",
        "/send/",
        MATRIX_REPLY,
        error={"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 200},
        waits_out_429=True,
    ),
    # Microsoft Teams: a Power Automate workflow URL; always https, hence the local TLS peer.
    Format("Microsoft Teams", "workflows://127.0.0.1:{port}/wf1/sig1?verify=no", "/workflows/wf1/", {}, tls=True),
    # Slack's webhook host is fixed (hooks.slack.com): the test points apprise's class at the peer.
    Format(
        "Slack",
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7",
        "/services/",
        "ok",
        in_process_only=True,
        error="rate_limited",
    ),
]
