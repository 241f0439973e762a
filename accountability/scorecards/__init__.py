"""The scorecard engine: `services.py` is the one door, `sweeps.py` and `tasks.py` stand beside it."""
