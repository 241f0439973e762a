"""Every endpoint, role and method → the expected status, from one table.

Roles, in the order of each status string: CCO staff, head of the object's department, head
of another department, owner (member of the department, owner of its task), executive,
anonymous. Every object of the world belongs to the first department.
"""

import pytest

from roadmap.proposals import initiative_case_set, initiative_propose
from tests import factories
from tests.api.conftest import ROLES

pytestmark = pytest.mark.anydb  # about roles, not the database


@pytest.fixture(autouse=True)
def _keys_remembered(settings):
    """As in production, the API remembers who a key is (org/auth_cache.py): the answers stay the same."""
    from org.auth_cache import auth_cache_forget

    settings.API_AUTH_CACHE_SECONDS = 300
    auth_cache_forget()
    yield
    auth_cache_forget()


ALL_READ = "200 200 200 200 200 401"
NO_METHOD = "405 405 405 405 405 401"
CCO_WRITES = {"create": "201 403 403 403 403 401", "update": "200 403 403 403 403 401"}


def read_only(obj: str) -> dict:
    return {"obj": obj, "list": ALL_READ, "retrieve": ALL_READ, "create": NO_METHOD, "update": NO_METHOD}


TABLE = {
    "departments": read_only("department"),
    "users": read_only("user"),
    "roadmaps": read_only("roadmap"),
    "metrics": read_only("metric"),
    "segments": read_only("segment"),
    # CCO staff make a department accountable for a loss reason (or none: "no owner").
    "loss-reasons": {**read_only("reason"), "update": "200 403 403 403 403 401", "change": {"department": None}},
    "scorecards": read_only("scorecard"),
    # Reminder records: the recipient's own, and those about a headed department's tasks.
    "reminders": {**read_only("message"), "retrieve": "200 200 404 200 200 401"},
    # Heads draft initiatives; they change only their own drafts (tests/roadmap/test_proposals_api.py).
    "initiatives": {
        "obj": "initiative",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        **CCO_WRITES,
        "create": "201 201 201 403 403 401",
        "payload": lambda w: {
            "roadmap": w.roadmap.pk,
            "title": "Faster refunds",
            "outcome": "Refunds within a day.",
            "owner": w.cco_staff.pk,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "departments": [{"department": w.department.pk, "budget": "500.00"}],
        },
        "change": {"health": "amber"},
    },
    "budget-lines": {
        "obj": "budget_line",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        **CCO_WRITES,
        "payload": lambda w: {"initiative": w.initiative.pk, "department": w.other_department.pk, "budget": "750.00"},
        "change": {"budget": "900.00"},
    },
    "pledges": {
        "obj": "pledge",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        "create": "201 201 400 403 403 401",  # the other head may not choose this department
        "update": "200 200 403 403 403 401",
        "payload": lambda w: {
            "initiative": w.initiative.pk,
            "department": w.department.pk,
            "person": w.user.pk,
            "hours_per_month": "4",
        },
        "change": {"hours_per_month": "10"},
    },
    "meetings": {
        "obj": "meeting",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        **CCO_WRITES,
        "payload": lambda w: {"initiative": w.initiative.pk, "date": "2026-03-01", "attendees": [w.user.pk]},
        "change": {"title": "Monthly review"},
    },
    "pay-plans": {
        "obj": "pay_plan",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        **CCO_WRITES,
        "payload": lambda w: {"department": w.other_department.pk, "weights": [{"metric": w.metric.pk, "weight": "2"}]},
        "change": {"note": "Reviewed with HR"},
    },
    "metric-conflicts": {
        "obj": "metric_conflict",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        "create": "201 403 403 403 403 401",
        "update": NO_METHOD,
        "payload": lambda w: {"metric_a": w.metric.pk, "metric_b": w.company_metric.pk},
    },
    "targets": {
        "obj": "target",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        **CCO_WRITES,
        "payload": lambda w: {
            "metric": w.metric.pk,
            "department": w.department.pk,
            "period_kind": "quarter",
            "period_start": "2026-04-01",
            "target_value": "80",
            "amber_threshold": "70",
        },
        "change": {"target_value": "85"},
    },
    "tasks": {
        "obj": "task",
        "list": ALL_READ,
        "retrieve": "200 200 404 200 200 401",
        # Another department's head may create tasks, but not in this department: 400 naming `department`.
        "create": "201 201 400 403 403 401",
        "update": "200 200 404 200 403 401",
        "payload": lambda w: {
            "initiative": w.initiative.pk,
            "department": w.department.pk,
            "title": "Call every lost customer",
            "owner": w.user.pk,
            "due_date": "2026-09-30",
        },
        "change": {"percent_complete": 40},
    },
    "check-ins": {
        "obj": "check_in",
        "list": ALL_READ,
        "retrieve": "200 200 404 200 200 401",
        # Another department's head cannot see the task, so cannot name it: 400 like a missing id.
        "create": "201 201 400 201 403 401",
        "update": NO_METHOD,
        "payload": lambda w: {"task": w.task.pk, "percent_complete": 30, "confidence": "amber", "note": "Halfway"},
    },
    "readings": {
        "obj": "reading",
        "list": ALL_READ,
        "retrieve": "200 200 404 200 200 401",
        "create": "201 201 400 403 403 401",  # the other head may not choose this department
        "update": NO_METHOD,
        "payload": lambda w: {"metric": w.metric.pk, "department": w.department.pk, "date": "2026-03-01", "value": 7},
    },
    "movements": {
        "obj": "movement",
        "list": ALL_READ,
        "retrieve": "200 200 404 200 200 401",
        "create": "201 201 400 403 403 401",  # the other head may not choose this department
        "update": NO_METHOD,
        "payload": lambda w: {
            "date": "2026-03-01",
            "kind": "lost",
            "segment": w.segment.pk,
            "department": w.department.pk,
            "count": 2,
            "loss_reason": w.reason.pk,
        },
    },
    # Integrations hold other systems' addresses and secrets: CCO staff only, reads included.
    "webhook-subscriptions": {
        "obj": "webhook_subscription",
        "list": "200 403 403 403 403 401",
        "retrieve": "200 403 403 403 403 401",
        **CCO_WRITES,
        "payload": lambda w: {
            "name": "CRM",
            "url": "https://crm.example.org/hooks",
            "secret": "a-secret-of-16-chars",
            "events": ["task.created", "scorecard.computed"],
        },
        "change": {"active": False},
    },
    "recognitions": {
        "obj": "recognition",
        "list": ALL_READ,
        "retrieve": ALL_READ,
        "create": "201 201 201 201 201 401",
        "update": NO_METHOD,
        "payload": lambda w: {"recipient": w.recipient.pk, "initiative": w.initiative.pk, "note": "Thank you!"},
    },
}
METHODS = ["list", "retrieve", "create", "update", "delete"]


def _call(client, method: str, endpoint: str, spec: dict, world) -> tuple[int, object]:
    base = f"/api/v1/{endpoint}/"
    detail = f"{base}{getattr(world, spec['obj']).pk}/"
    if method == "list":
        response = client.get(base)
    elif method == "retrieve":
        response = client.get(detail)
    elif method == "create":
        payload = spec["payload"](world) if "payload" in spec else {}
        response = client.post(base, payload, format="json")
    elif method == "update":
        response = client.patch(detail, spec.get("change", {}), format="json")
    else:
        response = client.delete(detail)
    return response.status_code, response.json()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", TABLE)
def test_permission_matrix(endpoint, role, clients, world):
    spec, client = TABLE[endpoint], clients[role]
    expected = {m: int(spec.get(m, "405 405 405 405 405 401").split()[ROLES.index(role)]) for m in METHODS}
    got, bodies = {}, {}
    for method in METHODS:
        got[method], bodies[method] = _call(client, method, endpoint, spec, world)
    assert got == expected, bodies
    for method, body in bodies.items():
        # Every error names a field or gives a detail, never an empty or HTML body.
        assert got[method] < 400 or (isinstance(body, dict) and body), (method, body)


@pytest.mark.parametrize("role", ROLES[:-1])
@pytest.mark.parametrize("endpoint", [e for e, spec in TABLE.items() if "404" in spec["retrieve"]])
def test_lists_never_show_what_retrieve_hides(endpoint, role, clients, world):
    spec = TABLE[endpoint]
    hidden = spec["retrieve"].split()[ROLES.index(role)] == "404"
    ids = [row["id"] for row in clients[role].get(f"/api/v1/{endpoint}/").json()["results"]]
    assert (getattr(world, spec["obj"]).pk in ids) is not hidden


@pytest.mark.parametrize("role", ROLES)
def test_scorecard_settings_are_read_by_every_role_and_changed_by_none(role, clients):
    client, url = clients[role], "/api/v1/scorecard-settings/"
    signed_in = role != "anonymous"
    got = [client.get(url).status_code] + [
        getattr(client, method)(url, {"delivery_weight": "9"}, format="json").status_code
        for method in ("post", "put", "patch", "delete")
    ]
    assert got == ([200, 405, 405, 405, 405] if signed_in else [401] * 5)


@pytest.mark.parametrize("role", ROLES)
def test_an_initiatives_follow_through_is_read_by_whoever_reads_the_initiative_and_changed_by_none(
    role, clients, world
):
    client, url = clients[role], f"/api/v1/initiatives/{world.initiative.pk}/follow-through/"
    signed_in = role != "anonymous"
    got = [
        client.get(url).status_code,
        client.get(f"/api/v1/initiatives/{world.initiative.pk + 999}/follow-through/").status_code,
    ]
    got += [
        getattr(client, method)(url, {}, format="json").status_code for method in ("post", "put", "patch", "delete")
    ]
    assert got == ([200, 404, 405, 405, 405, 405] if signed_in else [401] * 6)


# The proposal actions, from one table: a complete-case draft drafted by the head (propose), a
# proposal (approve, send back), and the steps (decisions). Roles in the order of ROLES.
PROPOSAL_ACTIONS = {
    "propose": ("draft", "post", "200 200 403 403 403 401"),
    "approve": ("proposed", "post", "200 403 403 403 403 401"),
    "send-back": ("proposed", "post", "200 403 403 403 403 401"),
    "decisions": ("proposed", "get", "200 200 200 200 200 401"),
}


@pytest.fixture
def proposal_world(world, monkeypatch):
    monkeypatch.setattr("roadmap.proposals.publish", lambda name, **kwargs: None)  # no broker here
    made = {}
    for state in ("draft", "proposed"):
        initiative = factories.DraftInitiativeFactory(
            title=f"Case {state}",
            drafted_by=world.users["head"],
            profit_at_stake=1000,
            start_date=world.initiative.start_date,
        )
        initiative_case_set(
            initiative=initiative,
            segments=[(world.segment, 10)],
            loss_reasons=[world.reason],
            expectations=[(world.metric, 80, world.initiative.end_date)],
        )
        if state == "proposed":
            initiative_propose(initiative=initiative, by=world.users["head"])
        made[state] = initiative
    return made


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PROPOSAL_ACTIONS)
def test_proposal_actions_permission_matrix(action, role, clients, proposal_world):
    state, method, statuses = PROPOSAL_ACTIONS[action]
    url = f"/api/v1/initiatives/{proposal_world[state].pk}/{action}/"
    response = getattr(clients[role], method)(url, {"reason": "No customer view."}, format="json")
    assert response.status_code == int(statuses.split()[ROLES.index(role)]), response.json()


# Reads that are not resources (the budget, an owner's report), per role; pooling is initiatives/{id}/pool/
# (tests/roadmap/test_budget_api.py).
# The owner report is the world's task owner's: the head heads their department, the other head not.
READS = {
    "budget/?period=2026-Q2": ALL_READ,
    "budget/duplicates/?period=2026-Q2": ALL_READ,
    "owners/{owner}/report/?period=2026-Q1": "200 200 403 200 200 401",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", READS)
def test_reads_by_role(path, role, clients, world):
    url = f"/api/v1/{path.format(owner=world.users['owner'].pk)}"
    client = clients[role]
    got = [client.get(url).status_code] + [
        getattr(client, method)(url, {}, format="json").status_code for method in ("post", "put", "patch", "delete")
    ]
    writes = 401 if role == "anonymous" else 405  # read-only: no write reaches a permission or a service
    assert got == [int(READS[path].split()[ROLES.index(role)])] + [writes] * 4
