"""Asking for scorecards to be recomputed after data changes.

The database records what is stale; the queue only speeds things up. (Implemented with the
scorecards issue; until then this only records nothing.)
"""

from __future__ import annotations

from collections.abc import Iterable


def scorecard_request_recompute(*, department_ids: Iterable[int | None]) -> None:
    """Mark these departments' (None: the company's) current scorecards as stale."""
    return None
