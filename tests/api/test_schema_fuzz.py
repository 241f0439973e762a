"""Property-based run of the whole OpenAPI schema (schemathesis) as each role.

The schema is loaded from the app itself (WSGI). Every operation gets FUZZ_EXAMPLES (100)
generated requests per role, valid and invalid, with a fixed seed (derandomized), as CCO
staff, a department head, a task owner, an executive and an account with no role. Every
answer must be no 5xx, must match the schema (its error answers included), and must pass an
object-level check of our own (tests/api/fuzz_scope.py): nothing outside the role's scope
is shown, made or changed.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
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
ROLES = ["cco", "head", "owner", "executive", "nobody"]

pytestmark = pytest.mark.slow


@pytest.fixture
def wsgi_in_test_transaction():
    # As Django's test client does: the WSGI app must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class Credentials:
    """The role's key; a fuzzed DELETE may revoke it, and then the next case gets a new one."""

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


def _run(operation, credentials: Credentials, checks: list) -> None:
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    revokes = operation.method.upper() == "DELETE"

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        headers = credentials.current() if revokes else credentials.headers
        case.call_and_validate(headers=headers, checks=checks)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_survives_generated_input_within_the_roles_scope(
    world, role, wsgi_in_test_transaction, monkeypatch
):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "100000/min", "bulk": "100000/min"})
    user = world.users[role] if role != "nobody" else factories.UserFactory(username="nobody")
    credentials = Credentials(user)
    checks = [*CHECKS, within_scope(user.pk)]
    # Loaded as CCO staff (an account with no role may not read the schema), then called as the role.
    reader = {"Authorization": f"Token {api_key_create(user=world.users['cco'], name='schema')[1]}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=reader)
    failures, ran = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        ran += 1
        try:
            _run(operation, credentials, checks)
        except Exception as exc:  # collect every operation's failure, then report them all
            failures[operation.label] = str(exc)[:2000]
    assert ran >= 40
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
