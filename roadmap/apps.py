from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from roadmap.roles import roles_ensure_groups

        # Permissions exist only after migrate, so the role groups are synced then.
        post_migrate.connect(roles_ensure_groups, sender=self)
