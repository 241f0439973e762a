"""The four roles, as Django groups with model permissions.

Model permissions say what a role may do to a kind of object; which objects (their own
departments, their own tasks) is decided by `org.selectors` and the selectors of each app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

CCO_STAFF = "CCO staff"
DEPARTMENT_HEADS = "Department heads"
TASK_OWNERS = "Task owners"
EXECUTIVES = "Executives"

# The apps whose models the roles are about (labels, not imports: this floor knows no app above it).
_APPS = ("core", "org", "customers", "roadmap", "accountability")
# Apps only CCO staff see at all: integrations hold other systems' addresses and secrets.
_STAFF_ONLY_APPS = ("integrations",)
# (app_label.model, actions) granted beyond "view everything in these apps".
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    DEPARTMENT_HEADS: {
        # Heads draft initiatives and change their own drafts (roadmap.selectors decides which).
        "roadmap.initiative": ("add", "change"),
        "roadmap.initiativesegment": ("add", "change", "delete"),
        "roadmap.initiativeexpectation": ("add", "change", "delete"),
        "roadmap.task": ("add", "change", "delete"),
        "roadmap.checkin": ("add", "change", "delete"),
        "roadmap.slip": ("change",),  # deciding the slips of the departments they head
        "roadmap.pledge": ("add", "change", "delete"),
        "customers.reading": ("add", "change", "delete"),
        "customers.customermovement": ("add", "change", "delete"),
        "accountability.recognition": ("add",),
    },
    TASK_OWNERS: {
        "roadmap.task": ("change",),
        "roadmap.checkin": ("add",),
        "accountability.recognition": ("add",),
    },
    EXECUTIVES: {
        "accountability.recognition": ("add",),  # anyone with a role may thank someone
    },
}
_LOCKOUT_PERMISSIONS = ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog", "view_accesslog"]


def _view_all() -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label__in=_APPS, codename__startswith="view_"))


def roles_ensure_groups(**kwargs: Any) -> None:
    """Create or refresh the role groups; safe to run any number of times (runs after migrate)."""
    # post_migrate runs app by app: when roadmap's turn comes, accountability's permissions may not
    # exist yet on a fresh database, so create both apps' permissions first (idempotent).
    for label in (*_APPS, *_STAFF_ONLY_APPS, "axes"):
        create_permissions(apps.get_app_config(label), verbosity=0, using=kwargs.get("using", DEFAULT_DB_ALIAS))
    everything = Permission.objects.filter(content_type__app_label__in=(*_APPS, *_STAFF_ONLY_APPS))
    staff, _ = Group.objects.get_or_create(name=CCO_STAFF)
    staff.permissions.set(
        list(everything)
        + list(Permission.objects.filter(content_type__app_label="auth", codename__in=["view_user", "view_group"]))
        # Login lockouts: CCO staff see them and lift one by deleting its attempt (docs/security.md).
        + list(Permission.objects.filter(content_type__app_label="axes", codename__in=_LOCKOUT_PERMISSIONS))
    )
    for name, extra in _EXTRA.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = _view_all()
        for model_label, actions in extra.items():
            app_label, model = model_label.split(".")
            perms += list(
                Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=[f"{a}_{model}" for a in actions]
                )
            )
        group.permissions.set(perms)
