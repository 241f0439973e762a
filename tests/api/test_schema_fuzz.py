"""Property-based run of the whole OpenAPI schema (schemathesis) as each role.

The schema is loaded from the app itself (WSGI). Every operation gets FUZZ_EXAMPLES (100)
generated requests, valid and invalid, with a fixed seed (derandomized), and each of them is
sent as CCO staff, a department head, a task owner, an executive and an account with no role:
100 examples per operation and role. Generating a case costs more than answering it, so each
operation's cases are drawn once and replayed as every role (the least privileged first, so a
CCO staff DELETE comes last). Every answer must be no 5xx, must match the schema (its error
answers included), and must pass an object-level check of our own (tests/api/fuzz_scope.py):
nothing outside the role's scope is shown, made or changed. The operations are dealt into
CHUNKS tests so that the parallel workers share the run.

CCO staff (TOKEN_ROLE) send a real API key with every request, so the token authentication is
fuzzed too, with the API's memory of keys on as in production (org/auth_cache.py): a fuzzed
DELETE of the key makes this process forget it at once, as any other change to keys does. The other roles are
signed in as DRF's APIClient.force_authenticate does: one user object per role for the whole
run and no key to look up, which makes their requests cheaper.
No endpoint changes a user's roles or active flag, so that object never goes stale.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import ScopedRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from cco.wsgi import application
from org.api_keys import api_key_create
from org.models import ApiKey
from tests import factories
from tests.api.fuzz_scope import within_scope

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))  # per operation and role
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ROLES = ["nobody", "executive", "owner", "head", "cco"]  # least privileged first
TOKEN_ROLE = "cco"  # with a real API key; the others are force-authenticated
FORCED_USER_HEADER = "X-Fuzz-Forced-User"
CHUNKS = 6

pytestmark = [pytest.mark.slow, pytest.mark.fuzz]


@pytest.fixture
def wsgi_in_test_transaction():
    # As Django's test client does: the WSGI app must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class ForcedAuthentication(WSGIHandler):
    """The app, signing the request in as the user named by FORCED_USER_HEADER (as force_authenticate does)."""

    def __init__(self, users: list) -> None:
        super().__init__()
        self.users = {str(user.pk): user for user in users}

    def get_response(self, request):
        user = self.users.get(request.META.pop("HTTP_" + FORCED_USER_HEADER.upper().replace("-", "_"), ""))
        if user is not None:
            request._force_auth_user = user
        return super().get_response(request)


class Forced:
    """A role signed in by ForcedAuthentication: its key is not used, so a fuzzed DELETE revokes nothing it needs."""

    def __init__(self, user, app: ForcedAuthentication) -> None:
        self.user, self.app = user, app
        api_key_create(user=user, name="fuzz")  # a key of their own to list, as the token roles have
        self.headers = {FORCED_USER_HEADER: str(user.pk), "Host": "localhost"}

    def current(self) -> dict:
        return self.headers


class Credentials:
    """The role's key; a fuzzed DELETE may revoke it, and then the next case gets a new one."""

    app = None  # the app the schema was loaded from

    def __init__(self, user) -> None:
        self.user = user
        self._mint()

    def _mint(self) -> None:
        api_key, key = api_key_create(user=self.user, name="fuzz")
        self.key_id, self.headers = api_key.pk, {"Authorization": f"Token {key}", "Host": "localhost"}

    def current(self) -> dict:
        if not ApiKey.objects.filter(pk=self.key_id).exists():
            self._mint()
        return self.headers


def _cases(operation) -> list:
    """FUZZ_EXAMPLES cases of the operation, valid and invalid, drawn with a fixed seed."""
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    cases = []

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def draw(case):
        cases.append(case)

    draw()
    return cases


def _replay(operation, cases: list, credentials: Credentials | Forced, checks: list) -> str | None:
    """Sends every case as the credentials' user; the first failure, with the request that caused it."""
    revokes = operation.method.upper() == "DELETE"
    app = {"app": credentials.app} if credentials.app is not None else {}
    for case in cases:
        headers = credentials.current() if revokes else credentials.headers
        try:
            case.call_and_validate(headers=headers, checks=checks, **app)
        except Exception as exc:  # reported with the request, so a failure can be replayed by hand
            return f"{str(exc)[:2000]}\nRequest: {case.as_curl_command(headers=headers)}"
    return None


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_operation_survives_generated_input_within_each_roles_scope(
    world, chunk, wsgi_in_test_transaction, monkeypatch, settings
):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "100000/min", "bulk": "100000/min"})
    settings.API_AUTH_CACHE_SECONDS = 2  # the production default (tests turn it off elsewhere)
    users = {**world.users, "nobody": factories.UserFactory(username="nobody")}
    forced = ForcedAuthentication([users[role] for role in ROLES if role != TOKEN_ROLE])
    runs = [
        (
            role,
            Credentials(users[role]) if role == TOKEN_ROLE else Forced(users[role], forced),
            [*CHECKS, within_scope(users[role].pk)],
        )
        for role in ROLES
    ]
    # Loaded as CCO staff (an account with no role may not read the schema), then called as each role.
    reader = {"Authorization": f"Token {api_key_create(user=world.users['cco'], name='schema')[1]}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=reader)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    failures, sent = {}, 0
    for operation in operations[chunk::CHUNKS]:
        cases = _cases(operation)
        for role, credentials, checks in runs:
            failure = _replay(operation, cases, credentials, checks)
            sent += len(cases)
            if failure:
                failures[f"{operation.label} as {role}"] = failure
    assert sent > 0
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
