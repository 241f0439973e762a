from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OrgConfig(AppConfig):
    """Departments, people and roles: who may see and change what."""

    name = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from org import checks  # noqa: F401 - the system checks register on import
        from org.auth_cache import auth_cache_connect
        from org.roles import roles_ensure_groups

        # Permissions exist only after migrate, so the role groups are synced then: after every
        # app's migrations, not only this one's, since the apps above create their permissions
        # after this app's post_migrate (they come later in INSTALLED_APPS).
        post_migrate.connect(roles_ensure_groups, dispatch_uid="org.roles_ensure_groups")
        # The API's memory of who a key is forgets on every change to people, roles and keys.
        auth_cache_connect()
