from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks (API and admin plumbing, periods, idempotency); the lowest floor."""

    name = "core"
    verbose_name = "Shared building blocks"
