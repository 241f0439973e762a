"""Sending Celery tasks by name, without ever waiting long for a broker that is down.

Lower floors ask for work above them by sending a task by its name, so they never import the
module that defines it (docs/architecture.md).
"""

from __future__ import annotations

import logging

import kombu.exceptions
from celery import Task, current_app

logger = logging.getLogger(__name__)

BROKER_UNREACHABLE = "Could not send %s to the broker (%s); the periodic sweep will catch up."
# What a failed publish raises: kombu wraps connection errors in its OperationalError;
# a socket error can still escape on some transports.
PUBLISH_ERRORS = (kombu.exceptions.OperationalError, OSError)


def publish(task: str | Task, *, countdown: float | None = None, **kwargs) -> bool:
    """Send a task (a name, or the task) without retrying: True if the broker took it, False (logged) if not.

    A signature by name runs through the registered task (the apps register theirs when Django
    starts), so the task's own options apply as if it had been imported.
    """
    name = task if isinstance(task, str) else task.name
    try:
        current_app.signature(name).apply_async(kwargs=kwargs, countdown=countdown, retry=False)
    except PUBLISH_ERRORS as error:
        logger.warning(BROKER_UNREACHABLE, name, error)
        return False
    return True
