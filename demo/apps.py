from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data builder (`manage.py demo_data`); the top floor, nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
