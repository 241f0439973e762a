from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Customer metrics everyone agrees on: metrics, targets, readings, segments, movements, loss reasons."""

    name = "customers"
    verbose_name = "Customer metrics"
