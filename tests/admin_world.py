"""Helpers of the admin tests: what each role gets from each admin view, read from a table.

The organisation they run against is the shared `world` fixture (tests/world.py).
"""

from __future__ import annotations

from django.forms import CheckboxInput, ModelMultipleChoiceField
from django.urls import reverse

from tests.world import ROLES

__all__ = ["ROLES"]


def login(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


def outcome(response) -> str:
    """A response as the matrix writes it: the status code, or where a redirect goes."""
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(reverse("admin:login")):
        return "login"
    if location == reverse("admin:index"):
        return "hidden"  # Django's answer for an object outside the user's queryset
    return f"302 {location}"


def parse_matrix(table: str) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """`model object view <one status per role>` lines → {(model, object): {role: {view: status}}}."""
    lines = [line.split() for line in table.strip().splitlines() if line.strip() and not line.startswith("#")]
    header, rows = lines[0], lines[1:]
    roles = header[3:]
    matrix: dict = {}
    for model, obj, view, *statuses in rows:
        assert len(statuses) == len(roles), f"{model} {obj} {view}: one status per role"
        for role, status in zip(roles, statuses, strict=True):
            matrix.setdefault((model, obj), {}).setdefault(role, {})[view] = status
    for per_role in matrix.values():
        per_role["anonymous"] = dict.fromkeys(next(iter(per_role.values())), "login")
    return matrix


def admin_outcomes(client, *, model: str, obj, views) -> dict[str, str]:
    """Request each view of the model's admin (`post` is an empty POST to the change page)."""
    app_label, model_name = model.split(".")
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    requests = {
        "changelist": ("get", reverse(f"admin:{app_label}_{model_name}_changelist")),
        "add": ("get", reverse(f"admin:{app_label}_{model_name}_add")),
        "change": ("get", change),
        "post": ("post", change),
        "delete": ("get", reverse(f"admin:{app_label}_{model_name}_delete", args=[obj.pk])),
    }
    return {view: outcome(getattr(client, requests[view][0])(requests[view][1], {})) for view in views}


def changelist_objects(client, model: str) -> set:
    app_label, model_name = model.split(".")
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def form_data(response, **changes) -> dict:
    """The POST an unchanged admin form would send (main form and inlines), with `changes` applied."""
    data: dict = {}

    def add(form) -> None:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(bound.field, ModelMultipleChoiceField):
                data[bound.html_name] = [str(v) for v in value or []]
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def changelist_query_counts(client, url: str, *, add_rows, sizes=(10, 100)) -> list[tuple[int, int]]:
    """(rows shown, queries run) of a changelist after `add_rows(n)` brought it to each size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # first request: sessions, content types and the like are cached from here on
    counts, shown = [], 0
    for size in sizes:
        add_rows(size - shown)
        shown = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append((len(response.context["cl"].result_list), len(queries)))
    return counts


def outcomes_by_role(client, world, *, model: str, obj_name: str, expected: dict[str, dict[str, str]]) -> dict:
    """{role: {view: outcome}} for every role of `expected`, one login after the other."""
    got = {}
    for role, views in expected.items():
        client.logout()
        login(client, world.users[role])
        got[role] = admin_outcomes(client, model=model, obj=getattr(world, obj_name), views=views)
    return got


def lists_by_role(client, world, *, model: str, roles) -> dict[str, set]:
    """{role: objects its changelist shows} for each of `roles`."""
    got = {}
    for role in roles:
        client.logout()
        login(client, world.users[role])
        got[role] = changelist_objects(client, model)
    return got
