"""Admin of roadmaps: changed by CCO staff, read by every role."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.admin_tools import GuardedAdmin, badge
from roadmap.models import Roadmap
from roadmap.selectors import roadmap_list

ROADMAP_STATUS_COLOURS = {"active": "green", "draft": "amber"}  # archived: grey


@admin.register(Roadmap)
class RoadmapAdmin(GuardedAdmin):
    list_display = ["name", "period_start", "period_end", "status_badge", "initiative_count"]
    list_filter = ["status"]
    search_fields = ["name"]
    date_hierarchy = "period_start"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Roadmap]:
        return roadmap_list().annotate(initiatives_count=Count("initiatives"))

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Roadmap) -> str:
        return badge(ROADMAP_STATUS_COLOURS.get(obj.status, obj.status), obj.get_status_display())

    @admin.display(description="initiatives", ordering="initiatives_count")
    def initiative_count(self, obj: Roadmap) -> int:
        return obj.initiatives_count
