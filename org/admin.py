"""Admin of departments and profiles: changed by CCO staff, read by every role."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.admin_tools import GuardedAdmin
from org.models import Department, Profile
from org.selectors import department_list


@admin.register(Department)
class DepartmentAdmin(GuardedAdmin):
    list_display = ["name", "slug", "head", "member_count"]
    list_select_related = ["head"]
    search_fields = ["name", "slug", "head__username", "head__last_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        # The selector prefetches members for pages that list them; the changelist only counts them.
        return department_list().prefetch_related(None).annotate(members_count=Count("members", distinct=True))

    @admin.display(description="members", ordering="members_count")
    def member_count(self, obj: Department) -> int:
        return obj.members_count


@admin.register(Profile)
class ProfileAdmin(GuardedAdmin):
    list_display = ["user", "time_zone", "receive_digests"]
    list_filter = ["receive_digests"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    autocomplete_fields = ["user"]
