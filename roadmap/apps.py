from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    """Roadmaps, initiatives, tasks, hand-offs and check-ins."""

    name = "roadmap"
    verbose_name = "Roadmap"
