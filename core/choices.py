"""Which related objects a user may choose when writing a field: one rule per field, for the API and the admin.

Each app's selectors give, per model, a function `<model>_choices(*, user, instance)` that
returns `{field name: queryset}` for every relation a person can set (a nested one as
`"departments.department"`). The API's serializers (`core.api.ScopedRelations`) and the
admin's forms (`core.admin_tools.ChoicesAdmin`) both apply it, so a choice refused in one
is refused in the other. A writable relation without a rule is a programming error: the
serializer refuses to work (ImproperlyConfigured), and a test generated from the
serializers checks each rule against each role.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import Model, Q, QuerySet


class ChoicesRule(Protocol):
    def __call__(self, *, user: Any, instance: Model | None) -> dict[str, QuerySet]: ...


def with_current(queryset: QuerySet, instance: Model | None, name: str) -> QuerySet:
    """The choices plus the value(s) the object already has, which stay valid where the user could not pick them."""
    if instance is None or instance.pk is None:
        return queryset
    field = instance._meta.get_field(name)
    if field.many_to_many:
        current: Any = getattr(instance, name).values("pk")
    else:
        value = getattr(instance, field.attname)
        if value is None:
            return queryset
        current = [value]
    return queryset.model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=current))


def only_current(model: type[Model], instance: Model | None, name: str) -> QuerySet:
    """No choice but the value the object already has (what a task owner may not move)."""
    return with_current(model._default_manager.none(), instance, name)
