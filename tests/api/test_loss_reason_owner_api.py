"""PATCH /api/v1/loss-reasons/{id}/: CCO staff make a department accountable for a loss reason."""

import pytest

from customers.models import LossReason
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def reason(db):
    return factories.LossReasonFactory(name="Billing error", department=None)


def test_cco_staff_name_the_accountable_department_and_can_take_it_away(reason, cco_staff, other_department):
    client, url = token_client(cco_staff), f"/api/v1/loss-reasons/{reason.pk}/"
    response = client.patch(url, {"department": other_department.pk, "name": "Renamed"}, format="json")
    assert response.status_code == 200 and response.json()["department"] == other_department.pk
    reason.refresh_from_db()
    assert (reason.department, reason.name) == (other_department, "Billing error")  # the name is kept in the admin
    assert client.patch(url, {"department": None}, format="json").json()["department"] is None


def test_an_unknown_department_is_a_400_naming_it_and_nothing_changes(reason, cco_staff, department):
    LossReason.objects.filter(pk=reason.pk).update(department=department)
    response = token_client(cco_staff).patch(f"/api/v1/loss-reasons/{reason.pk}/", {"department": 9999}, format="json")
    assert response.status_code == 400 and "department" in response.json()
    reason.refresh_from_db()
    assert reason.department == department


@pytest.mark.parametrize("role", ["head", "owner", "executive"])
def test_nobody_but_cco_staff_may_name_the_owner(request, reason, role, department):
    response = token_client(request.getfixturevalue(role)).patch(
        f"/api/v1/loss-reasons/{reason.pk}/", {"department": department.pk}, format="json"
    )
    assert response.status_code == 403
    reason.refresh_from_db()
    assert reason.department is None
