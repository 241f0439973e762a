"""django-axes' lockout check, for logins that come with a request.

Web logins (the admin, the token endpoint) always pass their request and are checked. A
login without one (a shell, a script, the test client's `login()`) has no client address
to count against and is not a password-guessing channel, so it is left to the next backend
instead of failing as axes' own backend does.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(
        self, request: Any = None, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
