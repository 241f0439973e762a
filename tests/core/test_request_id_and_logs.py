"""X-Request-ID in and out, on the request's log lines and in the tasks it sends; text and JSON log lines."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from cco.celery import app
from cco.log_format import JSONFormatter, TextFormatter
from core import request_id
from core.request_id import HEADER, RequestIdFilter, RequestIdMiddleware
from tests.worker import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_request_id():
    request_id.request_id_clear()


@pytest.fixture
def json_lines():
    """Every log line of the test, as the JSON format writes it (the console handler's filter and formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_id_given_is_returned_and_one_is_made_when_missing():
    assert Client().get("/health/live", HTTP_X_REQUEST_ID="lb-7f3a.01")[HEADER] == "lb-7f3a.01"
    made = Client().get("/health/live")[HEADER]
    assert len(made) == 32 and int(made, 16) >= 0


@pytest.mark.parametrize("given", ["two words", "x" * 129, "id\nINFO forged line", "é"])
def test_a_request_id_that_could_forge_a_log_line_is_replaced(given):
    returned = Client().get("/health/live", HTTP_X_REQUEST_ID=given)[HEADER]
    assert returned != given and len(returned) == 32


def test_the_log_lines_of_a_request_carry_its_id(json_lines):
    response = Client().get("/no/such/page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    assert lines and lines[0]["request_id"] == "req-404"
    assert lines[0]["message"] == "Not Found: /no/such/page/"
    Client().get("/no/such/page/")  # a later request has its own id
    assert json_lines()[-1]["request_id"] != "req-404"


def test_a_task_sent_during_a_request_carries_the_id_in_its_message():
    sent = {}

    def view(request):
        headers: dict = {}
        request_id.on_before_task_publish(headers=headers)  # what Celery calls as the request publishes
        sent.update(headers)
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-abc"))
    assert sent == {"request_id": "req-abc"}
    request_id.request_id_clear()  # what Django's request_finished does when the response is closed
    headers: dict = {}
    request_id.on_before_task_publish(headers=headers)  # outside any request: nothing added
    assert headers == {}


def test_a_task_logs_with_the_request_id_of_its_message_and_its_own_ids(json_lines):
    app.tasks["core.heartbeat"].apply(headers={"request_id": "req-task"}, task_id="t-1")
    logging.getLogger("after").warning("outside the task")
    lines = json_lines()
    inside = [line for line in lines if line.get("task_id") == "t-1"]
    assert inside, lines
    assert all(line["request_id"] == "req-task" and line["task_name"] == "core.heartbeat" for line in inside)
    assert "request_id" not in lines[-1] and "task_id" not in lines[-1]


def test_the_json_format_is_one_object_per_line_with_the_traceback():
    record = logging.LogRecord("cco.test", logging.ERROR, __file__, 1, "failed %s", ("x",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    record.request_id, record.task_id, record.task_name = "r-1", "", ""
    line = JSONFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed x" and entry["level"] == "ERROR" and entry["logger"] == "cco.test"
    assert entry["request_id"] == "r-1" and "task_id" not in entry
    assert entry["time"].endswith("Z") and "ValueError: boom" in entry["exc_info"]


def test_the_text_format_ends_a_request_line_with_its_id():
    formatter = TextFormatter("%(levelname)s %(name)s: %(message)s")
    record = logging.LogRecord("cco.test", logging.INFO, __file__, 1, "hello", (), None)
    assert formatter.format(record) == "INFO cco.test: hello"
    record.request_id = "r-2"
    assert formatter.format(record) == "INFO cco.test: hello request_id=r-2"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, not 'xml'."),
        (
            "METRICS_ALLOWED_IPS",
            "10.0.0.0/8,intranet",
            "METRICS_ALLOWED_IPS: 'intranet' is not an address or a network.",
        ),
    ],
)
def test_a_bad_operations_setting_stops_the_start_with_a_message_naming_it(variable, value, message):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cco.settings", "DEBUG": "1", variable: value}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert message in done.stderr
