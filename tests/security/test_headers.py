"""Content-Security-Policy on pages, no-store on API answers, and every error answer in the OpenAPI schema."""

import pytest
from django.test import Client

from tests.api.conftest import token_client


def test_pages_carry_a_policy_allowing_scripts_from_this_site_only(world):
    client = Client()
    client.force_login(world.users["executive"])
    for url in ["/admin/", "/admin/review/", "/api/v1/docs/", "/admin/login/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_the_api_docs_have_no_inline_script(world):
    client = Client()
    client.force_login(world.users["executive"])
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "") and "?script" in page


@pytest.mark.parametrize("url", ["/api/v1/tasks/", "/api/v1/users/", "/api/v1/auth/keys/", "/api/v1/tasks/999999/"])
def test_api_answers_are_never_stored(world, url):
    response = token_client(world.users["owner"]).get(url)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_new_key_is_never_stored(world):
    response = token_client(world.users["owner"]).post("/api/v1/auth/keys/", {"name": "x"})
    assert response.status_code == 201 and "no-store" in response["Cache-Control"]


def test_every_operation_documents_its_error_answers(world):
    schema = token_client(world.users["cco"]).get("/api/v1/schema/?format=json").json()
    assert schema["components"]["schemas"]["Error"]["type"] == "object"
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "429"}
            expected |= {"404"} if "{" in path else set()
            expected |= {"409", "413"} if method in ("post", "patch", "put", "delete") else set()
            expected |= {"412"} if method == "patch" else set()
            assert expected <= set(operation["responses"]), (path, method, sorted(operation["responses"]))
            checked += 1
    assert checked > 30
    task_patch = schema["paths"]["/api/v1/tasks/{id}/"]["patch"]["responses"]
    assert task_patch["413"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
