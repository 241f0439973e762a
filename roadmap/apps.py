from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Roadmap"

    def ready(self) -> None:
        from roadmap.roles import roles_ensure_groups

        # Permissions exist only after migrate, so the role groups are synced then: after every
        # app's migrations, not only this one's, since the accountability app's permissions
        # are created after roadmap's post_migrate (it comes later in INSTALLED_APPS).
        post_migrate.connect(roles_ensure_groups, dispatch_uid="roadmap.roles_ensure_groups")
