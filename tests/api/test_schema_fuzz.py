"""Property-based run of the whole OpenAPI schema (schemathesis) as CCO staff.

The schema is loaded from the app itself (WSGI); every operation gets a bounded number of
generated requests, valid and invalid, with a fixed seed (derandomized). Every response must
be no 5xx and must match the schema where the schema describes its status.
"""

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

EXAMPLES = 15  # per operation; ~45 operations stay well under the time budget on 2 cores
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]

pytestmark = pytest.mark.slow


@pytest.fixture
def wsgi_in_test_transaction():
    # As Django's test client does: the WSGI app must not close the test transaction's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, headers: dict) -> None:
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        case.call_and_validate(headers={**headers, "Host": "localhost"}, checks=CHECKS)

    run()


def test_every_operation_survives_generated_input(world, cco_staff, wsgi_in_test_transaction, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "100000/min", "bulk": "100000/min"})
    headers = {"Authorization": f"Token {api_key_create(user=cco_staff)[1]}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=headers)
    failures, ran = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        ran += 1
        try:
            _run(operation, headers)
        except Exception as exc:  # collect every operation's failure, then report them all
            failures[operation.label] = str(exc)[:2000]
    assert ran >= 40
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
