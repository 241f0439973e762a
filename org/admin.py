"""Admin of departments and profiles (changed by CCO staff, read by every role) and of one's own API keys."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from rest_framework.authtoken.models import TokenProxy

from core.admin_tools import GuardedAdmin
from org.api_keys import api_key_create, api_key_revoke
from org.models import ApiKey, Department, Profile
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


# DRF's token admin showed every key in clear and let staff make keys for anyone: keys are ApiKeys now.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Each person's own keys: made for oneself (the key is shown once), revoked by deleting.

    Superusers see and revoke everyone's (a key that leaked), but make keys only for themselves.
    """

    form = ApiKeyForm
    list_display = ["name", "prefix", "user", "created_at", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "expires_at", "last_used_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiKey]:
        keys = super().get_queryset(request)
        return keys if request.user.is_superuser else keys.filter(user_id=request.user.pk)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return self.has_module_permission(request) and (obj is None or self._mine(request, obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False  # a key is made or revoked, never edited

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return self.has_module_permission(request) and (obj is None or self._mine(request, obj))

    def _mine(self, request: HttpRequest, obj: ApiKey) -> bool:
        return request.user.is_superuser or obj.user_id == request.user.pk

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ApiKeyForm, change: bool) -> None:
        saved, key = api_key_create(user=request.user, name=form.cleaned_data["name"])
        obj.pk, obj.user = saved.pk, saved.user
        request._cco_new_api_key = (saved, key)

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue=None) -> HttpResponse:
        saved, key = request._cco_new_api_key
        context = {**self.admin_site.each_context(request), "api_key": saved, "key": key, "opts": self.opts}
        return TemplateResponse(request, "org/api_key_created.html", context)  # the admin adds no-store

    def delete_model(self, request: HttpRequest, obj: ApiKey) -> None:
        api_key_revoke(api_key=obj)


# Single sign-on mappings and identities live in their own file; importing it registers them.
from org import admin_sso  # noqa: E402, F401
