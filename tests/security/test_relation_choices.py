"""Every relation a client can write, for every role that writes it: what it may name and what it may not.

The cases are generated from the serializers of every writable endpoint (core.api.writable_relations),
so a new relation without a rule here fails `test_every_writable_relation_has_a_rule`. For each
relation and role, an id outside the role's choices (and always an id that does not exist) is
refused with 400 naming the field, changing nothing; an id inside them is accepted.
"""

from __future__ import annotations

from importlib import import_module

import pytest

from accountability.models import MetricConflict, PayPlan, Recognition
from core.api import writable_relations
from customers.models import CustomerMovement, LossReason, Reading, Target
from roadmap.models import CheckIn, Initiative, InitiativeDepartment, Meeting, Pledge, Task
from tests import factories
from tests.admin_world import form_data
from tests.api.conftest import token_client

pytestmark = pytest.mark.anydb  # about roles, not the database
ROUTERS = ["org.api.urls", "roadmap.api.urls", "customers.api.urls", "accountability.api.urls"]
MISSING = 2**31 - 1  # an id no object has: refused with the same words as one not yours to choose


def _generated() -> list[tuple[str, str, tuple[str, ...]]]:
    found = []
    for module in ROUTERS:
        for prefix, viewset, _basename in import_module(module).router.registry:
            actions = tuple(a for a in ("create", "partial_update") if hasattr(viewset, a))
            if actions:
                found += [(prefix, path, actions) for path in writable_relations(viewset.serializer_class())]
    return found


GENERATED = _generated()

# endpoint → (model, who writes it: role → actions, the create payload, the object an update changes)
ENDPOINTS = {
    "tasks": (
        Task,
        {"cco": ("create", "update"), "head": ("create", "update"), "owner": ("update",)},
        lambda w: {
            "initiative": w.initiative.pk,
            "department": w.department.pk,
            "title": "Call every lost customer",
            "owner": w.user.pk,
            "due_date": "2026-09-30",
        },
        lambda w: w.task_d,
    ),
    "initiatives": (
        Initiative,
        {"cco": ("create", "update"), "head": ("create",)},  # a head changes only their own drafts
        lambda w: {
            "roadmap": w.roadmap.pk,
            "title": "Faster refunds",
            "outcome": "Refunds within a day.",
            "owner": w.cco_staff.pk,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
        lambda w: w.initiative,
    ),
    "budget-lines": (
        InitiativeDepartment,
        {"cco": ("create", "update")},
        lambda w: {"initiative": w.initiative.pk, "department": w.other_department.pk, "budget": "5000.00"},
        lambda w: w.initiative.department_links.get(department=w.department),
    ),
    "pledges": (
        Pledge,
        {"cco": ("create", "update"), "head": ("create", "update")},
        lambda w: {
            "initiative": w.initiative.pk,
            "department": w.department.pk,
            "person": w.user.pk,
            "hours_per_month": "6",
        },
        lambda w: w.pledge,
    ),
    "meetings": (
        Meeting,
        {"cco": ("create", "update")},
        lambda w: {"initiative": w.initiative.pk, "date": "2026-03-01", "attendees": [w.user.pk]},
        lambda w: w.meeting,
    ),
    "pay-plans": (
        PayPlan,
        {"cco": ("create", "update")},
        lambda w: {"department": w.other_department.pk, "weights": [{"metric": w.metric.pk, "weight": "1"}]},
        lambda w: w.pay_plan,
    ),
    "metric-conflicts": (
        MetricConflict,
        {"cco": ("create",)},
        lambda w: {"metric_a": w.metric.pk, "metric_b": w.company_metric.pk},
        None,
    ),
    "targets": (
        Target,
        {"cco": ("create", "update")},
        lambda w: {
            "metric": w.metric.pk,
            "department": w.department.pk,
            "period_kind": "quarter",
            "period_start": "2026-04-01",
            "target_value": "80",
            "amber_threshold": "70",
        },
        lambda w: w.target,
    ),
    "check-ins": (
        CheckIn,
        {"cco": ("create",), "head": ("create",), "owner": ("create",)},
        lambda w: {"task": w.task.pk, "percent_complete": 30, "confidence": "amber", "note": "Halfway"},
        None,
    ),
    "readings": (
        Reading,
        {"cco": ("create",), "head": ("create",)},
        lambda w: {"metric": w.metric.pk, "department": w.department.pk, "date": "2026-03-05", "value": 7},
        None,
    ),
    "movements": (
        CustomerMovement,
        {"cco": ("create",), "head": ("create",)},
        lambda w: {
            "date": "2026-03-01",
            "kind": "lost",
            "segment": w.segment.pk,
            "department": w.department.pk,
            "count": 2,
            "loss_reason": w.reason.pk,
        },
        None,
    ),
    "loss-reasons": (
        LossReason,
        {"cco": ("update",)},  # the accountable department; the rest is kept in the admin
        lambda w: {"department": w.department.pk},
        lambda w: w.reason,
    ),
    "recognitions": (
        Recognition,
        {"cco": ("create",), "head": ("create",), "owner": ("create",)},
        lambda w: {"recipient": w.recipient.pk, "initiative": w.initiative.pk, "note": "Thank you!"},
        None,
    ),
}


def _by_role(default, **roles):
    return lambda w, role: roles[role](w) if role in roles else default(w)


def _none(w):
    return []


# (endpoint, relation) → outside(world, role): ids the role may not name; inside(world, role): one it may.
# `only`: the actions the relation is written by (initiatives' links are set on create only).
RULES = {
    ("tasks", "initiative"): {
        "outside": _by_role(_none, owner=lambda w: [w.initiative2.pk]),
        "inside": _by_role(lambda w: w.initiative2.pk, owner=lambda w: w.initiative.pk),
    },
    ("tasks", "department"): {
        "outside": _by_role(lambda w: [w.other_department.pk], cco=_none),
        "inside": _by_role(lambda w: w.department.pk, cco=lambda w: w.other_department.pk),
    },
    ("tasks", "owner"): {
        "outside": _by_role(
            lambda w: [w.inactive.pk],
            head=lambda w: [w.other_owner.pk, w.executive.pk, w.inactive.pk],
            owner=lambda w: [w.colleague.pk],
        ),
        "inside": _by_role(lambda w: w.colleague.pk, cco=lambda w: w.other_owner.pk, owner=lambda w: w.user.pk),
    },
    ("tasks", "depends_on"): {
        "outside": _by_role(lambda w: [w.task_e.pk], cco=_none),
        "inside": _by_role(lambda w: w.task_d2.pk, cco=lambda w: w.task_e.pk),
    },
    ("initiatives", "roadmap"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.roadmap.pk)},
    ("initiatives", "owner"): {
        "outside": _by_role(lambda w: [w.head.pk, w.executive.pk, w.inactive_staff.pk]),
        "inside": _by_role(lambda w: w.cco_staff.pk),
    },
    ("initiatives", "metrics"): {
        "outside": _by_role(_none),
        "inside": _by_role(lambda w: w.metric.pk),
        "only": ("create",),
    },
    ("initiatives", "departments.department"): {
        "outside": _by_role(_none),
        "inside": _by_role(lambda w: w.department.pk),
        "only": ("create",),
    },
    ("initiatives", "loss_reasons"): {
        "outside": _by_role(lambda w: [w.retired_reason.pk]),
        "inside": _by_role(lambda w: w.reason.pk),
    },
    ("initiatives", "segments.segment"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.segment.pk)},
    ("initiatives", "expectations.metric"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("budget-lines", "initiative"): {
        "outside": _by_role(lambda w: [w.pooled.pk]),  # a pooled initiative takes no new line
        "inside": _by_role(lambda w: w.initiative2.pk),
    },
    ("budget-lines", "department"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.other_department.pk)},
    ("budget-lines", "metrics"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("budget-lines", "loss_reasons"): {
        "outside": _by_role(lambda w: [w.retired_reason.pk]),
        "inside": _by_role(lambda w: w.reason.pk),
    },
    ("budget-lines", "segments"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.segment.pk)},
    ("pledges", "initiative"): {
        "outside": _by_role(lambda w: [w.pooled.pk]),
        "inside": _by_role(lambda w: w.initiative2.pk),
    },
    ("pledges", "department"): {
        "outside": _by_role(lambda w: [w.other_department.pk], cco=_none),
        "inside": _by_role(lambda w: w.department.pk),
    },
    ("pledges", "person"): {
        "outside": _by_role(lambda w: [w.inactive.pk], head=lambda w: [w.other_owner.pk, w.inactive.pk]),
        "inside": _by_role(lambda w: w.user.pk),
    },
    ("meetings", "initiative"): {
        "outside": _by_role(lambda w: [w.pooled.pk]),
        "inside": _by_role(lambda w: w.initiative2.pk),
    },
    ("meetings", "attendees"): {
        "outside": _by_role(lambda w: [w.inactive.pk]),
        "inside": _by_role(lambda w: w.user.pk),
    },
    ("pay-plans", "department"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.other_department.pk)},
    ("pay-plans", "weights.metric"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("metric-conflicts", "metric_a"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("metric-conflicts", "metric_b"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.company_metric.pk)},
    ("targets", "metric"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("targets", "department"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.other_department.pk)},
    ("check-ins", "task"): {
        "outside": _by_role(
            _none, head=lambda w: [w.task_e.pk], owner=lambda w: [w.task_d2.pk, w.task_e.pk]
        ),  # the owner sees a colleague's task but adds check-ins only to their own
        "inside": _by_role(lambda w: w.task_d.pk, cco=lambda w: w.task_e.pk),
    },
    ("readings", "metric"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
    ("readings", "department"): {
        "outside": _by_role(_none, head=lambda w: [w.other_department.pk]),
        "inside": _by_role(lambda w: w.department.pk, cco=lambda w: w.other_department.pk),
    },
    ("readings", "segment"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.segment.pk)},
    ("movements", "segment"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.segment.pk)},
    ("movements", "department"): {
        "outside": _by_role(_none, head=lambda w: [w.other_department.pk]),
        "inside": _by_role(lambda w: w.department.pk, cco=lambda w: w.other_department.pk),
    },
    ("movements", "loss_reason"): {
        "outside": _by_role(lambda w: [w.retired_reason.pk]),
        "inside": _by_role(lambda w: w.reason.pk),
    },
    ("loss-reasons", "department"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.other_department.pk)},
    ("recognitions", "recipient"): {
        "outside": _by_role(lambda w: [w.inactive.pk]),
        "inside": _by_role(lambda w: w.recipient.pk),
    },
    ("recognitions", "task"): {
        "outside": _by_role(lambda w: [w.task_e.pk], cco=_none),
        "inside": _by_role(lambda w: w.task_d.pk, cco=lambda w: w.task_e.pk),
    },
    ("recognitions", "initiative"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.initiative.pk)},
    ("recognitions", "metric"): {"outside": _by_role(_none), "inside": _by_role(lambda w: w.metric.pk)},
}


def _cases():
    for endpoint, relation, _actions in GENERATED:
        _model, writers, _payload, _obj = ENDPOINTS[endpoint]
        only = RULES.get((endpoint, relation), {}).get("only")
        for role, actions in writers.items():
            for action in actions:
                if only is None or action in only:
                    yield pytest.param(endpoint, relation, role, action, id=f"{endpoint}.{relation}-{role}-{action}")


@pytest.fixture
def w(world):
    """The shared world, plus what only choices tell apart: a second initiative, retired people and reasons."""
    world.initiative2 = factories.InitiativeFactory(title="Keep strategic customers", roadmap=world.roadmap)
    world.inactive = factories.TaskOwnerFactory(username="left-the-company", is_active=False)
    world.department.members.add(world.inactive)
    world.inactive_staff = factories.CCOStaffFactory(username="former-cco-staff", is_active=False)
    world.retired_reason = factories.LossReasonFactory(name="Fax machine broke", active=False)
    world.pooled = factories.InitiativeFactory(
        title="Pooled away", roadmap=world.roadmap, status="cancelled", pooled_into=world.initiative2
    )
    world.head, world.executive = world.users["head"], world.users["executive"]
    world.colleague = world.task_d2.owner
    world.other_owner = world.task_e.owner
    return world


def _value(relation: str, pk: int):
    if relation in ("depends_on", "metrics", "loss_reasons", "segments", "attendees"):
        return [pk]
    if relation == "departments.department":
        return [{"department": pk, "budget": "100.00"}]
    if relation == "segments.segment":
        return [{"segment": pk, "customers": 40}]
    if relation == "expectations.metric":
        return [{"metric": pk, "expected_value": "80", "by_date": "2026-06-30"}]
    if relation == "weights.metric":
        return [{"metric": pk, "weight": "1"}]
    return pk


def _body(endpoint: str, relation: str, pk: int, w) -> dict:
    _model, _writers, payload, _obj = ENDPOINTS[endpoint]
    body = payload(w)
    if endpoint == "recognitions" and relation in ("task", "initiative", "metric"):
        body.pop("initiative")  # a recognition names exactly one thing
    return {**body, relation.split(".")[0]: _value(relation, pk)}


def _write(client, endpoint: str, action: str, relation: str, pk: int, w):
    if action == "create":
        return client.post(f"/api/v1/{endpoint}/", _body(endpoint, relation, pk, w), format="json")
    obj = ENDPOINTS[endpoint][3](w)
    field = relation.split(".")[0]  # a nested relation is written as its list ("segments": [{…}])
    return client.patch(f"/api/v1/{endpoint}/{obj.pk}/", {field: _value(relation, pk)}, format="json")


def _state(endpoint: str, action: str, w):
    model, _writers, _payload, obj = ENDPOINTS[endpoint]
    if action == "create":
        return model.objects.count()
    fresh = model.objects.get(pk=obj(w).pk)
    return {f.name: getattr(fresh, f.attname) for f in model._meta.concrete_fields} | {
        "depends_on": sorted(fresh.depends_on.values_list("pk", flat=True)) if model is Task else None
    }


def test_every_writable_relation_has_a_rule():
    generated = {(endpoint, relation) for endpoint, relation, _ in GENERATED}
    assert generated == set(RULES), "a writable relation without a rule here, or a rule for none"
    assert {endpoint for endpoint, _ in generated} <= set(ENDPOINTS)


@pytest.mark.parametrize(("endpoint", "relation", "role", "action"), list(_cases()))
def test_a_relation_outside_the_users_choices_is_refused_and_one_inside_is_accepted(
    endpoint, relation, role, action, w
):
    client, rule = token_client(w.users[role]), RULES[(endpoint, relation)]
    field = relation.split(".")[0]
    for pk in [*rule["outside"](w, role), MISSING]:
        before = _state(endpoint, action, w)
        response = _write(client, endpoint, action, relation, pk, w)
        assert response.status_code == 400, (pk, response.json())
        # One answer for "not yours" and "does not exist": a refusal confirms nothing.
        assert "does not exist or is not one you may choose here" in str(response.json()[field]), response.json()
        assert _state(endpoint, action, w) == before
    response = _write(client, endpoint, action, relation, rule["inside"](w, role), w)
    assert response.status_code in (200, 201), response.json()


# The admin applies the same rules (core.admin_tools.apply_choices): the head's owner choice, through the task form.


@pytest.mark.parametrize("who", ["other_owner", "executive", "inactive"])
def test_a_head_cannot_make_someone_outside_their_departments_the_owner_in_the_admin(client, w, who):
    change = f"/admin/roadmap/task/{w.task_d.pk}/change/"
    client.force_login(w.head)
    response = client.post(change, form_data(client.get(change), owner=getattr(w, who).pk))
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert Task.objects.get(pk=w.task_d.pk).owner == w.user


def test_the_admin_offers_a_head_the_owners_the_api_accepts(client, w):
    client.force_login(w.head)
    form = client.get("/admin/roadmap/task/add/").context["adminform"].form
    offered = set(form.fields["owner"].queryset.values_list("username", flat=True))
    assert offered == {w.head.username, w.user.username, w.colleague.username}
