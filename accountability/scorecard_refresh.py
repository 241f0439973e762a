"""Filling in a period that has no snapshot yet, from the dashboard's "compute it" button.

When the scorecard engine (`accountability.scorecard_engine`, built on another branch) is
installed, the period is computed synchronously; otherwise every scope is marked stale
through `scorecard_request_recompute`, the documented door, and the worker computes it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from accountability.periods import Period
from accountability.recompute import scorecard_request_recompute
from roadmap.models import Department

RECOMPUTE_DONE = "Scorecards for {period} computed."
RECOMPUTE_REQUESTED = "Scorecards for {period} requested; they appear here once computed."
ENGINE_MODULE = "accountability.scorecard_engine"
# The engine's "compute every scope of one period" function; adjust here if it is named otherwise.
ENGINE_FUNCTION = "scorecards_compute_period"


def _engine() -> Callable[..., object] | None:
    try:
        module = importlib.import_module(ENGINE_MODULE)
    except ImportError:
        return None
    return getattr(module, ENGINE_FUNCTION, None)


def scorecards_recompute(*, period: Period) -> bool:
    """Compute (True) or request (False) the company's and every department's scorecard for the period."""
    engine = _engine()
    if engine is not None:
        engine(period=period)
        return True
    department_ids = list(Department.objects.values_list("id", flat=True))
    scorecard_request_recompute(department_ids=[None, *department_ids])
    return False
