from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """Scorecards, reminders and recognition."""

    name = "accountability"
    verbose_name = "Accountability"

    def ready(self) -> None:
        # The system checks register on import; the tasks register with Celery, so that a web
        # process can send them by name (`core.queue.publish`) through their own options.
        from accountability import checks, tasks  # noqa: F401
