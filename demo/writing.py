"""Writing generated rows: through the services (small sets) or in bulk batches (large sets).

Bulk writes skip `full_clean()` and history; the generators respect every constraint and
rule the services check (dates inside the initiative, no dependency cycles, a loss reason
on every loss…), and the small default set goes through the services to prove it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol, TypeVar

from django.db.models import Model

BATCH_SIZE = 5000
M = TypeVar("M", bound=Model)


class Bar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def close(self) -> object: ...


Progress = Callable[[int, str], Bar]  # (total, description) → a tqdm-like bar


def batches(rows: Iterable[M], size: int = BATCH_SIZE) -> Iterator[list[M]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(model: type[M], rows: Iterable[M], *, bar: Bar, keep: bool = False) -> list[M]:
    """Insert in batches, advancing the bar; with `keep`, return the rows with their keys."""
    kept: list[M] = []
    for chunk in batches(rows):
        created = model.objects.bulk_create(chunk)
        bar.update(len(chunk))
        if keep:
            kept.extend(created)
    return kept


def each(items: Iterable[Any], write: Callable[[Any], object], *, bar: Bar) -> None:
    """Write items one by one through a service, advancing the bar."""
    for item in items:
        write(item)
        bar.update(1)
