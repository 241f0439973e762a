"""Query expressions that Django does not ship."""

from __future__ import annotations

from collections import Counter

from django.db import models
from django.db.models import Expression, Value


class ValueByPk(Expression):
    """One value per primary key, for an UPDATE that writes many rows differently in one statement.

    It compiles to `CASE "id" WHEN %s THEN %s … ELSE %s END`, the same SQL as `Case(When(pk=…))`,
    without resolving one `When` and its lookup per row (about 0.2 ms each: most of the cost
    of writing a batch of reminders). The most common value is the ELSE, so rows that share
    it cost nothing. Build it with `value_by_pk()`, which returns a plain `Value` when every
    row gets the same one.
    """

    def __init__(self, values: dict[int, object], default: object, output_field: models.Field) -> None:
        super().__init__(output_field=output_field)
        self.values, self.default = values, default

    def as_sql(self, compiler, connection):
        prep = self.output_field.get_db_prep_value
        meta = compiler.query.get_meta()
        column = f"{compiler.quote_name_unless_alias(meta.db_table)}.{connection.ops.quote_name(meta.pk.column)}"
        params: list = []
        for pk, value in self.values.items():
            params += [pk, prep(value, connection)]
        params.append(prep(self.default, connection))
        return f"CASE {column}{' WHEN %s THEN %s' * len(self.values)} ELSE %s END", params


def value_by_pk(values: dict[int, object], output_field: models.Field) -> Expression:
    """`values[pk]` for each row: a `Value` when they are all equal, else a `ValueByPk`."""
    default, _ = Counter(values.values()).most_common(1)[0]
    exceptions = {pk: value for pk, value in values.items() if value != default}
    if not exceptions:
        return Value(default, output_field=output_field)
    return ValueByPk(exceptions, default, output_field)
