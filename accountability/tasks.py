"""Celery tasks of the accountability app, found by `autodiscover_tasks()` under this name."""

from accountability.reminders.tasks import *  # noqa: F403
from accountability.scorecards.tasks import *  # noqa: F403
