from django.contrib.admin.apps import AdminConfig


class CCOAdminConfig(AdminConfig):
    """The admin, with the project's own site as `admin.site`."""

    default_site = "cco.admin_site.CCOAdminSite"
