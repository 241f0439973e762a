from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Chat notifications and outgoing webhooks: the product talking to a company's other tools."""

    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from core.events import domain_event
        from integrations import tasks  # noqa: F401  (registered, so a web process sends them by name)
        from integrations.webhooks.record import events_record

        # Lower floors emit domain events; this floor records them as webhook deliveries.
        domain_event.connect(events_record, dispatch_uid="integrations.webhooks.record")
