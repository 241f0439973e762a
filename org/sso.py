"""Single sign-on: who a person signing in through the identity provider is, and what role the
mappings CCO staff set (`SsoMapping`) give them.

The one door for creating or updating such a person; the OpenID Connect backend
(`org/sso_backend.py`) calls it with the provider's verified claims. The provider decides who a
person is; the mappings decide their role at each sign-in. Refused, with nothing saved: a
deactivated person, and a person no mapping gives a role (they would see nothing).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from org.models import SsoIdentity, SsoMapping
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS

logger = logging.getLogger(__name__)
ROLES = (CCO_STAFF, DEPARTMENT_HEADS, TASK_OWNERS, EXECUTIVES)


def _values(claim: Any) -> set[str]:
    if claim is None:
        return set()
    items = claim if isinstance(claim, list | tuple | set) else [claim]
    return {str(item) for item in items}


def sso_mappings_matching(*, claims: dict[str, Any]) -> list[SsoMapping]:
    """The mappings whose claim carries their value (equal, or among a list's values)."""
    mappings = SsoMapping.objects.select_related("department").order_by("pk")
    return [m for m in mappings if m.value in _values(claims.get(m.claim))]


def sso_user_find(*, claims: dict[str, Any]):
    """The person linked to this subject; else, on a first sign-in, the unlinked account with the
    provider's verified email (so people who had a password keep their history)."""
    identity = SsoIdentity.objects.select_related("user").filter(subject=str(claims.get("sub", ""))).first()
    if identity is not None:
        return identity.user
    email = claims.get("email")
    if email and claims.get("email_verified") is True:
        users = get_user_model().objects.filter(email__iexact=email, sso_identity__isnull=True)
        return users.order_by("pk").first()
    return None


def _username(claims: dict[str, Any]) -> str:
    wanted = str(claims.get("preferred_username") or str(claims.get("email") or "").split("@")[0])
    wanted = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "sso"  # what Django's username validator accepts
    users = get_user_model().objects
    name, n = wanted, 1
    while users.filter(username__iexact=name).exists():
        n += 1
        name = f"{wanted}-{n}"
    return name


def _details(user, claims: dict[str, Any]) -> None:
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        if claims.get(claim):
            setattr(user, field, str(claims[claim])[:150])
    email = str(claims.get("email") or "")
    try:
        validate_email(email)
    except ValidationError:
        return  # none, or not an address: keep the one the account has
    user.email = email


def _apply(user, mappings: list[SsoMapping]) -> None:
    """The mapped roles replace the person's roles; mapped departments are added (heads: when free)."""
    roles = {m.role for m in mappings}
    groups = Group.objects.filter(name__in=ROLES)
    user.groups.remove(*[g for g in groups if g.name not in roles])
    user.groups.add(*[g for g in groups if g.name in roles])
    for mapping in mappings:
        department = mapping.department
        if department is None:
            continue
        department.members.add(user)
        if mapping.role == DEPARTMENT_HEADS and department.head_id is None:
            department.head = user
            department.save(update_fields=["head"])


@transaction.atomic
def sso_sign_in(*, claims: dict[str, Any]):
    """The person these verified claims name, created or updated; None when refused."""
    subject = str(claims.get("sub") or "")
    if not subject:
        logger.warning("Single sign-on refused: the provider sent no subject")
        return None
    user = sso_user_find(claims=claims)
    if user is not None and not user.is_active:
        logger.warning("Single sign-on refused for %s: the account is deactivated", user.get_username())
        return None
    mappings = sso_mappings_matching(claims=claims)
    if not mappings and not (user is not None and user.is_superuser):
        logger.warning("Single sign-on refused for subject %s: no mapping gives a role", subject)
        return None
    if user is None:
        user = get_user_model()(username=_username(claims))
        user.set_unusable_password()  # signs in through the provider only, until someone sets one
    _details(user, claims)
    user.is_staff = True  # the admin is the product's interface
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as invalid:
        logger.warning("Single sign-on refused for subject %s: %s", subject, "; ".join(invalid.messages))
        return None
    user.save()
    SsoIdentity.objects.get_or_create(user=user, defaults={"subject": subject})
    _apply(user, mappings)
    logger.info(
        "Single sign-on: %s signed in as %s", user.get_username(), ", ".join(sorted({m.role for m in mappings}))
    )
    return user
