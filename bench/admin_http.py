"""Plain HTTP to a running tracker on 127.0.0.1, as a browser would: requests, cookies and the admin's login form.

Used by the benchmarks that start whole stacks (bench/two_machines.py) and by the production-run test.
"""

from __future__ import annotations

import http.client
import re


def request(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def admin_login(port: int, username: str, password: str) -> tuple[int, dict[str, str]]:
    status, headers, page = request(port, "GET", "/admin/login/")
    jar = cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = f"csrfmiddlewaretoken={token}&username={username}&password={password}&next=/admin/"
    status, headers, _ = request(
        port,
        "POST",
        "/admin/login/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://127.0.0.1:{port}/admin/login/",
        },
    )
    return status, {**jar, **cookies(headers)}
