"""Celery tasks of the accountability app (autodiscovered): thin wrappers around services."""

from accountability.tasks.reminders import *  # noqa: F403
from accountability.tasks.scorecards import *  # noqa: F403
