"""Local peers for the integrations tests: HTTP servers that answer as each service would."""

from __future__ import annotations

import subprocess

import pytest

from tests.integrations.receiver import Peer, PeerServer


@pytest.fixture
def peer_server():
    """`peer_server(Peer(...), tls=None)` starts a local server on a free port; stopped at the end."""
    servers: list[PeerServer] = []

    def start(peer: Peer, tls: tuple[str, str] | None = None) -> PeerServer:
        server = PeerServer(peer, tls=tls)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def tls_cert(tmp_path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: Teams' workflow URLs are always https."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture(autouse=True)
def _site_elsewhere(settings):
    settings.SITE_URL = "https://cco.example.com"
