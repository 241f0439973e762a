"""Anyone with a role may give a recognition, executives too (DOMAIN: recognition)."""

import pytest
from django.urls import reverse

from accountability.models import Recognition
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


def test_an_executive_thanks_an_owner_in_the_admin(client, executive, owner):
    initiative = factories.InitiativeFactory()
    client.force_login(executive)
    response = client.post(
        reverse("admin:accountability_recognition_add"),
        {"recipient": owner.pk, "initiative": initiative.pk, "note": "The Acme renewal was yours."},
    )
    assert response.status_code == 302
    assert Recognition.objects.get().giver == executive


def test_an_executive_thanks_an_owner_through_the_api_but_not_themselves(executive, owner):
    initiative = factories.InitiativeFactory()
    client = token_client(executive)
    given = client.post("/api/v1/recognitions/", {"recipient": owner.pk, "initiative": initiative.pk, "note": "Thanks"})
    assert given.status_code == 201
    own = client.post("/api/v1/recognitions/", {"recipient": executive.pk, "initiative": initiative.pk, "note": "Me"})
    assert own.status_code == 400 and Recognition.objects.count() == 1
