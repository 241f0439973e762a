"""Run the test OpenID Connect provider as its own process, on a free port, for one test.

Its RSA signing key and Django secret are made here for this run and passed through the
environment: no key is ever written to the repository.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30


@dataclass(frozen=True)
class Provider:
    url: str
    client_id: str
    client_secret: str
    subjects: dict[str, str]  # username at the provider → its `sub` claim

    def settings(self) -> dict[str, str]:
        """The tracker's OIDC_* settings for this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test provider exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/o/.well-known/jwks.json", timeout=1) as answer:  # noqa: S310 - our http URL
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the test provider did not answer within {START_SECONDS} s")


@contextmanager
def oidc_provider(*, folder: Path, redirect_uri: str, people: list[dict]) -> Iterator[Provider]:
    """A provider with these people and one client allowed to send them back to `redirect_uri`."""
    client_id, client_secret = "cco-tracker", secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "IDP_SECRET_KEY": secrets.token_urlsafe(32),
        "IDP_RSA_PRIVATE_KEY": _rsa_key(),
        "IDP_DATABASE": str(folder / "idp.sqlite3"),
        "PYTHONPATH": str(ROOT),
    }
    spec = {"client": {"id": client_id, "secret": client_secret, "redirect_uri": redirect_uri}, "people": people}
    prepared = subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.prepare"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    log = (folder / "idp.log").open("w")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, process, folder / "idp.log")
        yield Provider(url, client_id, client_secret, json.loads(prepared.stdout))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
