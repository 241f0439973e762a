"""Password guessing is stopped per account and per client address, on the admin and the token endpoint."""

import logging

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from tests import factories

PASSWORD = "pw-for-tests"
TOKEN = "/api/v1/auth/token/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()  # the API throttle's counters: each test starts with none


def token_login(username, password, **meta):
    return APIClient().post(TOKEN, {"username": username, "password": password}, **meta)


def admin_login(username, password, **meta):
    client = Client()
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, **meta), client


def test_a_made_up_forwarded_for_header_does_not_reset_the_count(owner):
    # Behind no proxy, X-Forwarded-For is the client's own words: a fresh one per guess changed nothing.
    statuses = [token_login("owner", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [400, 400, 429]  # the third failure is the limit: locked from then on
    response = token_login("owner", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429
    assert "Too many failed logins" in response.json()["detail"]
    assert "token" not in response.json()


def test_the_account_is_locked_whatever_address_the_guesses_come_from(owner):
    for n in range(3):
        token_login("owner", "wrong", REMOTE_ADDR=f"192.0.2.{n}")
    assert token_login("owner", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_guesses(owner, head):
    for name in ["a", "b", "c"]:
        token_login(name, "wrong", REMOTE_ADDR="192.0.2.50")
    assert token_login(head.username, PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 429
    assert token_login(head.username, PASSWORD, REMOTE_ADDR="192.0.2.51").status_code == 200


def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings, owner, head):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.1.1.1"}
    for name in ["a", "b", "c"]:  # the left part is the client's own claim; the proxy appended 203.0.113.5
        token_login(name, "wrong", HTTP_X_FORWARDED_FOR=f"1.1.1.{len(name)}, 203.0.113.5", **proxy)
    assert token_login(head.username, PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5", **proxy).status_code == 429
    # Another client behind the same proxy is not locked out with it.
    assert token_login(head.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200


def test_the_admin_login_is_locked_with_a_page_that_says_why(owner):
    statuses = [admin_login("owner", "wrong")[0].status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the login form again with its error, then the lockout
    response, client = admin_login("owner", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_the_token_endpoint_lock_the_admin_login_too(owner):
    for _ in range(3):
        token_login("owner", "wrong")
    response, _client = admin_login("owner", PASSWORD)
    assert response.status_code == 429


def test_a_successful_login_before_the_limit_starts_the_count_again(owner):
    token_login("owner", "wrong")
    token_login("owner", "wrong")
    assert token_login("owner", PASSWORD).status_code == 200
    token_login("owner", "wrong")
    token_login("owner", "wrong")
    assert token_login("owner", PASSWORD).status_code == 200


def test_cco_staff_see_the_lockouts_in_the_admin_and_lift_one(owner, cco_staff):
    for _ in range(3):
        token_login("owner", "wrong", REMOTE_ADDR="192.0.2.9")
    staff = Client()
    staff.force_login(cco_staff)
    page = staff.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "owner" in page.content.decode() and "192.0.2.9" in page.content.decode()
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="owner")
    response = staff.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert token_login("owner", PASSWORD, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_other_roles_do_not_see_the_lockouts(head, executive):
    for user in (head, executive):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_the_command_lifts_the_lockout_of_one_account(owner, capsys):
    for _ in range(3):
        token_login("owner", "wrong")
    call_command("login_unlock", username="owner")
    assert "Lifted the lockout of username 'owner'" in capsys.readouterr().out
    assert token_login("owner", PASSWORD).status_code == 200


def test_the_command_lifts_the_lockout_of_one_address(db):
    user = factories.UserFactory(username="someone")
    for name in ["a", "b", "c"]:
        token_login(name, "wrong", REMOTE_ADDR="192.0.2.77")
    call_command("login_unlock", ip="192.0.2.77")
    assert token_login(user.username, PASSWORD, REMOTE_ADDR="192.0.2.77").status_code == 200


def test_the_command_refuses_no_name_and_an_unknown_name(db):
    with pytest.raises(CommandError, match="--username NAME or --ip ADDRESS"):
        call_command("login_unlock")
    with pytest.raises(CommandError, match="No failed logins are recorded for username 'ghost'"):
        call_command("login_unlock", username="ghost")


def test_a_cache_outage_lets_logins_through_with_a_warning(owner, settings, caplog):
    # Nothing listens on port 1: every throttle read fails at once.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with caplog.at_level(logging.WARNING, logger="core.throttles"):
        response = token_login("owner", PASSWORD)
    assert response.status_code == 200 and response.json()["token"]
    assert "its cache could not be reached" in caplog.text
    for _ in range(3):  # and the lockout, kept in the database, still holds
        token_login("owner", "wrong")
    assert token_login("owner", PASSWORD).status_code == 429
