"""GET /api/v1/top-loss-reasons/: a period's top loss reasons with owner, cost and work, for every role."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roadmap.models import Initiative
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/top-loss-reasons/"


@pytest.fixture
def losses(department, cco_staff):
    price = factories.LossReasonFactory(name="Price", department=department)
    billing = factories.LossReasonFactory(name="Billing error")
    factories.CustomerMovementFactory(kind="lost", loss_reason=price, count=3, profit=900, date=dt.date(2026, 4, 2))
    factories.CustomerMovementFactory(kind="lost", loss_reason=billing, count=1, profit=100, date=dt.date(2026, 5, 2))
    work = factories.InitiativeFactory(title="Fair prices", status=Initiative.Status.ACTIVE, owner=cco_staff)
    work.loss_reasons.add(price)
    return {"price": price, "billing": billing, "work": work}


def test_the_quarters_top_reasons_with_owner_profit_share_and_work(losses, department, head):
    response = token_client(head).get(URL, {"period": "2026-Q2"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "rank": 1,
            "reason": losses["price"].pk,
            "name": "Price",
            "department": department.pk,
            "lost": 3,
            "profit_lost": "900.00",
            "share": "75.0",
            "initiatives": [losses["work"].pk],
            "no_active_initiative": False,
        },
        {
            "rank": 2,
            "reason": losses["billing"].pk,
            "name": "Billing error",
            "department": None,
            "lost": 1,
            "profit_lost": "100.00",
            "share": "25.0",
            "initiatives": [],
            "no_active_initiative": True,
        },
    ]


@pytest.mark.parametrize(
    ("query", "field"), [({"period": "2026-Q5"}, "period"), ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit")]
)
def test_a_bad_period_or_limit_is_a_400_naming_it(losses, cco_staff, query, field):
    response = token_client(cco_staff).get(URL, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_anonymous_gets_nothing_and_every_role_reads(losses, cco_staff, head, owner, executive):
    assert token_client().get(URL).status_code == 401
    for user in (cco_staff, head, owner, executive):
        assert token_client(user).get(URL, {"period": "2026-Q2", "limit": "1"}).json()[0]["name"] == "Price"


def test_the_same_queries_for_few_or_many_reasons_and_initiatives(losses, cco_staff):
    client = token_client(cco_staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"period": "2026-Q2", "limit": "50"}).status_code == 200
        return len(queries)

    count()
    few = count()
    for n in range(10):
        reason = factories.LossReasonFactory(name=f"Reason {n}")
        factories.CustomerMovementFactory(kind="lost", loss_reason=reason, count=1, date=dt.date(2026, 4, 9))
        factories.InitiativeFactory(status=Initiative.Status.ACTIVE, owner=cco_staff).loss_reasons.add(reason)
    assert count() == few
