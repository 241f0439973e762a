"""Celery tasks for reminders, escalations and digests."""
