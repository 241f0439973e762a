"""Single sign-on end to end: Chromium signs in to the tracker through a real OpenID Connect
provider (django-oauth-toolkit, its own process and database, `tests/oidc_provider/`)."""

import pytest
from django.contrib.auth import get_user_model

from org.models import SsoIdentity, SsoMapping
from org.roles import DEPARTMENT_HEADS, TASK_OWNERS
from tests import factories
from tests.oidc_provider.server import oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IDP_PASSWORD = "idp-password-for-tests"
PEOPLE = [
    {
        "username": "ada",
        "password": IDP_PASSWORD,
        "email": "ada@example.com",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "groups": ["service-team"],
    },
    {"username": "bob", "password": IDP_PASSWORD, "email": "bob@example.com", "groups": ["service-team"]},
]


@pytest.fixture(scope="module")
def idp(live_server, tmp_path_factory):
    """One provider process for the module: starting one takes a few seconds."""
    redirect_uri = f"{live_server.url}/oidc/callback/"
    with oidc_provider(folder=tmp_path_factory.mktemp("idp"), redirect_uri=redirect_uri, people=PEOPLE) as started:
        yield started


@pytest.fixture
def provider(idp, settings):
    """The tracker configured for the provider, as OIDC_* in the environment would."""
    for name, value in idp.settings().items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Test IdP"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "org.sso_backend.SsoBackend"]
    return idp


def sign_in_through_the_provider(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.click("text=Sign in with Test IdP")
    page.fill("#id_username", username)
    page.fill("#id_password", IDP_PASSWORD)
    page.click("#idp-sign-in")


def test_a_first_sign_in_creates_the_user_with_the_mapped_role(page, live_server, provider, shoot):
    department = factories.DepartmentFactory(name="Service", slug="service")
    SsoMapping.objects.create(claim="groups", value="service-team", role=TASK_OWNERS, department=department)
    SsoMapping.objects.create(claim="groups", value="someone-else", role=DEPARTMENT_HEADS)
    sign_in_through_the_provider(page, live_server, "ada")
    page.wait_for_selector("#site-name")
    shoot("sso-signed-in")
    assert page.url == f"{live_server.url}/admin/"
    user = get_user_model().objects.get(sso_identity__subject=provider.subjects["ada"])
    assert (user.username, user.email, user.get_full_name()) == ("ada", "ada@example.com", "Ada Lovelace")
    assert list(user.groups.values_list("name", flat=True)) == [TASK_OWNERS]
    assert list(user.departments.all()) == [department]
    assert user.is_staff and user.is_active and not user.has_usable_password()


def test_a_deactivated_user_is_refused(page, live_server, provider, shoot):
    SsoMapping.objects.create(claim="groups", value="service-team", role=TASK_OWNERS)
    bob = factories.TaskOwnerFactory(username="bob", email="bob@example.com", is_active=False)
    SsoIdentity.objects.create(user=bob, subject=provider.subjects["bob"])
    sign_in_through_the_provider(page, live_server, "bob")
    page.wait_for_selector("#sso-refused")
    shoot("sso-refused")
    assert page.url.startswith(f"{live_server.url}/admin/login/")
    bob.refresh_from_db()
    assert not bob.is_active
    assert get_user_model().objects.filter(email="bob@example.com").count() == 1
