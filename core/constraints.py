"""Model constraints checked in Python where that is exact, for imports of thousands of rows.

Django checks a `CheckConstraint` with a query (`Q.check`), one per constraint and row: a feed of
5,000 movements asked the database 15,000 times before inserting anything. The simple conditions
our models use (comparisons of a field with a constant, `isnull`, `in`, joined by AND, OR and
NOT) are decided here as the database decides them, in SQL's three-valued logic: a comparison
with NULL is unknown, and a CHECK passes unless its condition is false. Anything else (an `F()`,
a function, a related field) goes to Django's own check, so the answer never differs.
"""

from __future__ import annotations

import operator

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable

UNKNOWN = None  # SQL's third truth value

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class _NotSimple(Exception):
    """The condition needs the database: Django checks it."""


def model_constraints_validate(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """`obj.validate_constraints(exclude)`, with the same errors, deciding simple check
    constraints in Python and asking the database only for the rest."""
    errors: dict = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, models.CheckConstraint) and not set(exclude or ()) & _fields(
                    constraint.condition
                ):
                    _check_validate(constraint, model_class, obj, exclude)
                else:
                    constraint.validate(model_class, obj, exclude=exclude)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _check_validate(constraint: models.CheckConstraint, model_class, obj: models.Model, exclude) -> None:
    try:
        condition = constraint.condition
        holds = _holds(condition if isinstance(condition, Q) else Q(condition), obj)
    except _NotSimple:
        constraint.validate(model_class, obj, exclude=exclude)
        return
    if holds is False:
        raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)


def _fields(condition) -> set[str]:
    names = set()
    for child in (condition if isinstance(condition, Q) else Q(condition)).children:
        if isinstance(child, Q):
            names |= _fields(child)
        elif isinstance(child, tuple):
            names.add(child[0].split("__")[0])
    return names


def _holds(q: Q, obj: models.Model) -> bool | None:
    results = [_holds(child, obj) if isinstance(child, Q) else _lookup_holds(child, obj) for child in q.children]
    if q.connector == Q.AND:
        value = False if False in results else (UNKNOWN if UNKNOWN in results else True)
    elif q.connector == Q.OR:
        value = True if True in results else (UNKNOWN if UNKNOWN in results else False)
    else:
        raise _NotSimple
    if q.negated and value is not UNKNOWN:
        value = not value
    return value


def _lookup_holds(child, obj: models.Model) -> bool | None:
    if not isinstance(child, tuple):
        raise _NotSimple
    path, expected = child
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if isinstance(expected, Combinable) or hasattr(expected, "resolve_expression"):
        raise _NotSimple
    try:
        field = obj._meta.get_field(name)
    except Exception as exc:
        raise _NotSimple from exc
    if not field.concrete or (field.is_relation and lookup != "isnull"):
        raise _NotSimple
    value = getattr(obj, field.attname)
    if lookup == "exact" and expected is None:  # as the ORM reads field=None
        lookup, expected = "isnull", True
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if value is None or expected is None:
        return UNKNOWN
    if lookup == "in":
        return value in expected
    if lookup not in COMPARISONS:
        raise _NotSimple
    try:
        return COMPARISONS[lookup](value, field.to_python(expected))
    except (TypeError, ValidationError) as exc:
        raise _NotSimple from exc
