"""Celery tasks for scorecards (see accountability/scorecard_engine.py)."""
