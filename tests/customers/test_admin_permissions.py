"""What each role sees and may change in the accountability admin, generated from one table.

`hidden`: the object is outside the user's queryset, so Django redirects to the admin index;
`login`: anonymous users are sent to the login page; `post` is a POST to the change page
(200: the form came back with errors, so permission was granted; 403: refused).
"""

import pytest

from accountability.models import Recognition
from customers.models import CustomerSegment, LossReason, Metric, Target
from tests.admin_world import (
    ROLES,
    lists_by_role,
    outcomes_by_role,
    parse_matrix,
)

pytestmark = [pytest.mark.django_db, pytest.mark.anydb]  # about roles, not the database

TABLE = """
model                            object            view        cco  head    other_head  owner   executive
customers.metric            metric            changelist  200  200     200         200     200
customers.metric            metric            add         200  403     403         403     403
customers.metric            metric            change      200  200     200         200     200
customers.metric            metric            post        200  403     403         403     403
customers.metric            metric            delete      200  403     403         403     403
customers.target            target            changelist  200  200     200         200     200
customers.target            target            add         200  403     403         403     403
customers.target            target            change      200  200     200         200     200
customers.target            target            post        200  403     403         403     403
customers.target            target            delete      200  403     403         403     403
customers.reading           reading_d         changelist  200  200     200         200     200
customers.reading           reading_d         add         200  200     200         403     403
customers.reading           reading_d         change      200  200     hidden      200     200
customers.reading           reading_d         post        200  200     hidden      403     403
customers.reading           reading_d         delete      200  200     hidden      403     403
# company-wide readings: everyone reads them, only CCO staff change them
customers.reading           reading_company   change      200  200     200         200     200
customers.reading           reading_company   post        200  403     403         403     403
customers.reading           reading_company   delete      200  403     403         403     403
customers.customersegment   segment           changelist  200  200     200         200     200
customers.customersegment   segment           add         200  403     403         403     403
customers.customersegment   segment           change      200  200     200         200     200
customers.customersegment   segment           post        200  403     403         403     403
customers.customersegment   segment           delete      200  403     403         403     403
customers.lossreason        reason            changelist  200  200     200         200     200
customers.lossreason        reason            add         200  403     403         403     403
customers.lossreason        reason            change      200  200     200         200     200
customers.lossreason        reason            post        200  403     403         403     403
customers.lossreason        reason            delete      200  403     403         403     403
customers.customermovement  movement_d        changelist  200  200     200         200     200
customers.customermovement  movement_d        add         200  200     200         403     403
customers.customermovement  movement_d        change      200  200     hidden      200     200
customers.customermovement  movement_d        post        200  200     hidden      403     403
customers.customermovement  movement_d        delete      200  200     hidden      403     403
customers.customermovement  movement_e        change      200  hidden  200         hidden  200
customers.customermovement  movement_e        post        200  hidden  200         403     403
customers.customermovement  movement_company  post        200  403     403         403     403
accountability.recognition       recognition       changelist  200  200     200         200     200
accountability.recognition       recognition       add         200  200     200         200     200
accountability.recognition       recognition       change      200  200     200         200     200
accountability.recognition       recognition       post        200  403     403         403     403
accountability.recognition       recognition       delete      200  403     403         403     403
"""
MATRIX = parse_matrix(TABLE)

# What each changelist lists, per role (objects named as in the `world` fixture).
SCOPED_LISTS = {
    "customers.reading": {
        "cco": "reading_d reading_e reading_company",
        "head": "reading_d reading_company",
        "other_head": "reading_e reading_company",
        "owner": "reading_d reading_company",
        "executive": "reading_d reading_e reading_company",
    },
    "customers.customermovement": {
        "cco": "movement_d movement_e movement_company",
        "head": "movement_d movement_company",
        "other_head": "movement_e movement_company",
        "owner": "movement_d movement_company",
        "executive": "movement_d movement_e movement_company",
    },
}
UNSCOPED = {
    "customers.metric": Metric,
    "customers.target": Target,
    "customers.customersegment": CustomerSegment,
    "customers.lossreason": LossReason,
    "accountability.recognition": Recognition,
}


@pytest.mark.parametrize(("model", "obj"), list(MATRIX))
def test_each_role_gets_the_status_the_table_gives(client, world, model, obj):
    expected = MATRIX[(model, obj)]
    assert outcomes_by_role(client, world, model=model, obj_name=obj, expected=expected) == expected


@pytest.mark.parametrize("model", list(SCOPED_LISTS))
def test_a_changelist_lists_only_what_the_role_may_see(client, world, model):
    expected = {role: {getattr(world, name) for name in names.split()} for role, names in SCOPED_LISTS[model].items()}
    assert lists_by_role(client, world, model=model, roles=expected) == expected


@pytest.mark.parametrize("model", list(UNSCOPED))
def test_every_role_lists_every_metric_target_segment_reason_and_recognition(client, world, model):
    everything = set(UNSCOPED[model].objects.all())
    roles = [role for role in ROLES if role != "anonymous"]
    assert lists_by_role(client, world, model=model, roles=roles) == dict.fromkeys(roles, everything)
