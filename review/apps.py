from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ReviewConfig(AppConfig):
    """The executive review pages, their templates and template tags."""

    default = True
    name = "review"
    verbose_name = "Executive review"


class CCOAdminConfig(admin_apps.AdminConfig):
    """The admin, with the project's own site (`review.admin_site`) as `admin.site`."""

    default = False
    default_site = "review.admin_site.CCOAdminSite"
