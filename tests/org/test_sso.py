"""Single sign-on without the browser: the mappings, who is let in, the admin of mappings, the
login page's button and the URLs when OIDC is off (the browser run is tests/browser/test_sso_in_browser.py)."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from org.models import SsoIdentity, SsoMapping
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS
from org.sso import sso_sign_in
from tests import factories

pytestmark = pytest.mark.django_db
ADD = reverse("admin:org_ssomapping_add")


def claims(**extra):
    return {"sub": "idp-42", "email": "ada@example.com", "email_verified": True, "preferred_username": "ada", **extra}


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_a_first_sign_in_creates_a_staff_user_with_the_mapped_role_and_department(department):
    SsoMapping.objects.create(claim="groups", value="service", role=TASK_OWNERS, department=department)
    user = sso_sign_in(claims=claims(groups=["service", "other"], given_name="Ada"))
    assert (user.username, user.first_name, user.is_staff) == ("ada", "Ada", True)
    assert roles(user) == {TASK_OWNERS}
    assert department.members.filter(pk=user.pk).exists()
    assert SsoIdentity.objects.get(user=user).subject == "idp-42"


def test_the_next_sign_in_updates_the_role_from_the_mappings(department):
    SsoMapping.objects.create(claim="groups", value="service", role=TASK_OWNERS)
    SsoMapping.objects.create(claim="groups", value="execs", role=EXECUTIVES)
    user = sso_sign_in(claims=claims(groups=["service"]))
    again = sso_sign_in(claims=claims(groups=["execs"], email="ada@new.example.com"))
    assert again.pk == user.pk
    assert roles(again) == {EXECUTIVES}
    assert again.email == "ada@new.example.com"
    assert get_user_model().objects.filter(username__startswith="ada").count() == 1


def test_a_head_mapping_makes_the_head_of_a_department_that_has_none_only():
    free = factories.DepartmentFactory(head=None)
    taken = factories.DepartmentFactory()
    SsoMapping.objects.create(claim="groups", value="heads", role=DEPARTMENT_HEADS, department=free)
    SsoMapping.objects.create(claim="groups", value="heads", role=DEPARTMENT_HEADS, department=taken)
    user = sso_sign_in(claims=claims(groups="heads"))  # a single value counts like a list of one
    free.refresh_from_db()
    taken.refresh_from_db()
    assert free.head == user and taken.head != user
    assert taken.members.filter(pk=user.pk).exists()


def test_an_existing_account_is_linked_by_a_verified_email_only():
    SsoMapping.objects.create(claim="email", value="ada@example.com", role=CCO_STAFF)
    existing = factories.UserFactory(username="ada.lovelace", email="ADA@example.com")
    assert sso_sign_in(claims=claims(email_verified=False)).pk != existing.pk
    SsoIdentity.objects.all().delete()
    assert sso_sign_in(claims=claims(sub="idp-43")).pk == existing.pk


def test_nobody_is_let_in_without_a_mapping_nor_when_deactivated_and_nothing_is_saved(caplog):
    SsoMapping.objects.create(claim="groups", value="service", role=TASK_OWNERS)
    with caplog.at_level(logging.WARNING, logger="org.sso"):
        assert sso_sign_in(claims=claims(groups=["marketing"])) is None
    assert not get_user_model().objects.filter(username="ada").exists()
    assert "no mapping gives a role" in caplog.text
    user = sso_sign_in(claims=claims(groups=["service"]))
    user.is_active = False
    user.save()
    assert sso_sign_in(claims=claims(groups=["service"])) is None
    user.refresh_from_db()
    assert not user.is_active
    assert sso_sign_in(claims={"email": "x@example.com", "groups": ["service"]}) is None  # no subject


def test_a_mapping_to_a_role_that_does_not_exist_is_a_form_error_on_role(client, cco_staff):
    client.force_login(cco_staff)
    response = client.post(ADD, {"claim": "groups", "value": "sales", "role": "Kings"})
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert "Kings is not one of the available choices" in str(response.context["adminform"].form.errors["role"])
    assert not SsoMapping.objects.exists()
    response = client.post(ADD, {"claim": "groups", "value": "sales", "role": TASK_OWNERS})
    assert response.status_code == 302
    assert SsoMapping.objects.get().role == TASK_OWNERS


def test_the_model_refuses_a_role_that_does_not_exist_naming_the_field():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        SsoMapping(claim="groups", value="x", role="Kings").full_clean()
    assert "role" in refused.value.message_dict


@pytest.mark.parametrize(
    ("role", "changelist", "add"),
    [("cco_staff", 200, 200), ("executive", 403, 403), ("head", 403, 403), ("owner", 403, 403)],
)
def test_only_cco_staff_see_and_change_the_mappings_and_identities(client, request, role, changelist, add):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:org_ssomapping_changelist")).status_code == changelist
    assert client.get(ADD).status_code == add
    assert client.get(reverse("admin:org_ssoidentity_changelist")).status_code == changelist
    assert client.get(reverse("admin:org_ssoidentity_add")).status_code == 403  # linked at sign-in only


def test_with_oidc_unset_there_is_no_button_and_its_urls_are_404(client):
    assert "Sign in with" not in client.get(reverse("admin:login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_oidc_set_the_login_page_offers_the_provider(client, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Acme ID"
    settings.OIDC_RP_CLIENT_ID = "tracker"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example.com/authorize"
    page = client.get(reverse("admin:login")).content.decode()
    assert "Sign in with Acme ID" in page
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    assert start["Location"].startswith("https://id.example.com/authorize?")
    assert "code_challenge=" in start["Location"] and "client_id=tracker" in start["Location"]
    assert "secret" not in start["Location"]


def test_a_refused_sign_in_says_so_on_the_login_page(client):
    assert "Single sign-on did not let you in" in client.get(reverse("admin:login") + "?sso=refused").content.decode()


def test_half_configured_single_sign_on_fails_the_system_check_naming_what_is_missing(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    call_command("check")  # none set: off, and fine
    settings.OIDC_RP_CLIENT_ID = "tracker"
    with pytest.raises(SystemCheckError, match="OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT"):
        call_command("check")


def test_odd_claims_are_made_fit_rather_than_failing():
    SsoMapping.objects.create(claim="groups", value="service", role=TASK_OWNERS)
    user = sso_sign_in(claims=claims(groups=["service"], preferred_username="Ada Lovelace!", email="not an address"))
    assert (user.username, user.email) == ("AdaLovelace", "")
    other = sso_sign_in(claims=claims(sub="idp-77", groups=["service"], preferred_username="ada lovelace"))
    assert other.username == "adalovelace-2"  # usernames are unique whatever their case


@pytest.mark.parametrize("problem", ["down", "500", "bad signature"])
def test_a_provider_down_or_answering_wrongly_is_a_refusal_not_a_server_error(rf, settings, problem, monkeypatch):
    import requests

    from org.sso_backend import SsoBackend

    for name in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"):
        setattr(settings, name, "http://127.0.0.1:9/nothing-listens-here")
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "tracker", "s3cret"
    backend = SsoBackend()
    if problem == "500":
        answer = requests.Response()
        answer.status_code = 500
        monkeypatch.setattr(requests, "post", lambda *a, **k: answer)
    elif problem == "bad signature":
        monkeypatch.setattr(backend, "get_token", lambda payload: {"id_token": "a.b.c", "access_token": "t"})
    request = rf.get("/oidc/callback/", {"code": "c", "state": "s"})
    assert backend.authenticate(request, nonce="n", code_verifier="v") is None
