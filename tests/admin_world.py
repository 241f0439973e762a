"""A small organisation for the admin tests: two departments, one object of each kind per department.

Import the `world` fixture into an admin test module: `from tests.admin_world import world_fixture`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.forms import CheckboxInput, ModelMultipleChoiceField
from django.urls import reverse

from customers.models import Metric
from org.models import Profile
from tests import factories

ROLES = ["cco", "head", "other_head", "owner", "executive", "anonymous"]


@pytest.fixture(name="world")
def world_fixture(department, other_department, cco_staff, executive, head, other_head, owner):
    """Department D (head `head`, member `owner`) and department E (head `other_head`, member `other_owner`)."""
    other_owner = factories.TaskOwnerFactory(username="other_owner")
    other_department.members.add(other_owner)
    colleague = factories.TaskOwnerFactory(username="colleague")
    department.members.add(colleague)
    initiative = factories.InitiativeFactory(title="Faster onboarding", owner=cco_staff)
    factories.InitiativeDepartmentFactory(initiative=initiative, department=department)
    task_d = factories.TaskFactory(title="Task D", initiative=initiative, department=department, owner=owner)
    task_d2 = factories.TaskFactory(title="Task D2", initiative=initiative, department=department, owner=colleague)
    task_e = factories.TaskFactory(
        title="Task E", initiative=initiative, department=other_department, owner=other_owner
    )
    metric = factories.MetricFactory(code="first-contact-resolution")
    company_metric = factories.MetricFactory(code="customers", level=Metric.Level.COMPANY)
    segment = factories.CustomerSegmentFactory(name="Strategic")
    reason = factories.LossReasonFactory(name="Price")
    users = {
        "cco": cco_staff,
        "head": head,
        "other_head": other_head,
        "owner": owner,
        "executive": executive,
        "anonymous": AnonymousUser(),
    }
    return SimpleNamespace(
        users=users,
        department=department,
        other_department=other_department,
        initiative=initiative,
        roadmap=initiative.roadmap,
        task_d=task_d,
        task_d2=task_d2,
        task_e=task_e,
        check_in_d=factories.CheckInFactory(task=task_d, note="D"),
        check_in_e=factories.CheckInFactory(task=task_e, note="E"),
        metric=metric,
        company_metric=company_metric,
        target=factories.TargetFactory(metric=metric),
        reading_d=factories.ReadingFactory(metric=metric, department=department, value=71),
        reading_e=factories.ReadingFactory(metric=metric, department=other_department, value=72),
        reading_company=factories.ReadingFactory(metric=company_metric, department=None, value=1000),
        segment=segment,
        reason=reason,
        movement_d=factories.CustomerMovementFactory(segment=segment, department=department, count=3),
        movement_e=factories.CustomerMovementFactory(segment=segment, department=other_department, count=4),
        movement_company=factories.CustomerMovementFactory(segment=segment, department=None, count=5),
        recognition=factories.RecognitionFactory(giver=cco_staff, recipient=owner, task=task_d),
        profile=Profile.objects.create(user=owner, time_zone="Europe/Paris"),
        today=dt.date(2026, 3, 2),
    )


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
