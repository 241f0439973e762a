"""Admin of the single sign-on mappings (CCO staff only) and of the linked identities (read, unlink)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.admin_tools import GuardedAdmin
from org.models import SsoIdentity, SsoMapping
from org.selectors import user_is_cco_staff


class CcoStaffOnly:
    """Who gets which role is CCO staff's to set: other roles do not see these pages at all."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return user_is_cco_staff(user=request.user)


@admin.register(SsoMapping)
class SsoMappingAdmin(CcoStaffOnly, GuardedAdmin):
    list_display = ["claim", "value", "role", "department"]
    list_filter = ["role"]
    list_select_related = ["department"]
    search_fields = ["claim", "value"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(CcoStaffOnly, GuardedAdmin):
    """Deleting an identity unlinks it: the next sign-in links again (by verified email) or makes a new account."""

    list_display = ["user", "subject", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "subject", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
