"""Admin of scorecard settings (a singleton CCO staff edit) and of the computed snapshots (read only)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from accountability.models import Scorecard, ScorecardLine, ScorecardSettings
from accountability.scorecards.services import scorecards_recompute_enqueue, scorecards_reopen_period
from org.selectors import user_is_cco_staff

WEIGHT_NEGATIVE = "A weight cannot be negative."
WEIGHTS_ZERO = "The weights add up to zero: give at least one part a positive weight."
BANDS_ORDER = "The amber bound ({amber}) must be below the green bound ({green})."
CLOSE_DAY_RANGE = "Choose a day from 1 to 28, so that every month has it."
RECOMPUTE_QUEUED = "Recompute queued for {count} scorecard(s); refresh in a few seconds."
REOPENED = "Reopened and recomputed {periods}: {count} scorecard(s). They are no longer closed."
RECOMPUTE_NOT_QUEUED = (
    "The job queue cannot be reached now: {count} scorecard(s) were not queued. "
    "Try again later or run `manage.py recompute_scorecards`."
)


class ScorecardSettingsForm(forms.ModelForm):
    class Meta:
        model = ScorecardSettings
        fields = [
            "delivery_weight",
            "growth_weight",
            "green_from",
            "amber_from",
            "stale_days",
            "nightly_recompute_hour",
            "close_previous_period_on_day",
        ]

    def clean(self) -> dict:
        data = super().clean()
        weights = {name: data.get(name) for name in ("delivery_weight", "growth_weight")}
        for name, value in weights.items():
            if value is not None and value < 0:
                self.add_error(name, WEIGHT_NEGATIVE)
        if all(v is not None for v in weights.values()) and sum(weights.values(), Decimal(0)) <= 0:
            raise forms.ValidationError(WEIGHTS_ZERO)
        amber, green = data.get("amber_from"), data.get("green_from")
        if amber is not None and green is not None and amber >= green:
            self.add_error("amber_from", BANDS_ORDER.format(amber=amber, green=green))
        day = data.get("close_previous_period_on_day")
        if day is not None and not 1 <= day <= 28:
            self.add_error("close_previous_period_on_day", CLOSE_DAY_RANGE)
        return data


def _is_cco_staff(request: HttpRequest) -> bool:
    return user_is_cco_staff(user=request.user)


@admin.register(ScorecardSettings)
class ScorecardSettingsAdmin(admin.ModelAdmin):
    """One row: no second one can be added and it cannot be deleted; CCO staff change it, others read."""

    form = ScorecardSettingsForm
    fieldsets = [
        ("Weights of the overall score", {"fields": ["delivery_weight", "growth_weight"]}),
        ("Colour bands of the overall score", {"fields": ["green_from", "amber_from"]}),
        ("Delivery", {"fields": ["stale_days"]}),
        ("Schedule", {"fields": ["nightly_recompute_hour", "close_previous_period_on_day"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_cco_staff(request) and not ScorecardSettings.objects.exists()

    def has_change_permission(self, request: HttpRequest, obj: ScorecardSettings | None = None) -> bool:
        return _is_cco_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: ScorecardSettings | None = None) -> bool:
        return False


class ScorecardLineInline(admin.TabularInline):
    """How each figure was reached: the part, its inputs, its result and its weight."""

    model = ScorecardLine
    fields = ["position", "part", "label", "inputs", "value", "score", "colour", "weight", "explanation"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Scorecard | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Scorecard | None = None) -> bool:
        return False


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    """Snapshots are computed, never edited: everyone with access reads, CCO staff may recompute."""

    list_display = [
        "__str__",
        "period_label",
        "scope",
        "overall_score",
        "overall_colour",
        "change",
        "closed",
        "computed_at",
    ]
    list_filter = ["period_kind", "scope", "closed", "overall_colour", "department"]
    list_select_related = ["department", "owner"]
    date_hierarchy = "period_start"
    inlines = [ScorecardLineInline]
    actions = ["recompute_now", "reopen_periods"]

    @admin.display(description="period", ordering="period_start")
    def period_label(self, obj: Scorecard) -> str:
        return obj.period.label

    def get_readonly_fields(self, request: HttpRequest, obj: Scorecard | None = None) -> list[str]:
        return [field.name for field in Scorecard._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Scorecard | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Scorecard | None = None) -> bool:
        return False

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        return _is_cco_staff(request)

    @admin.action(description="Recompute now", permissions=["recompute"])
    def recompute_now(self, request: HttpRequest, queryset) -> None:
        sent = scorecards_recompute_enqueue(scorecards=queryset)
        queued = sum(sent)
        if queued:
            self.message_user(request, RECOMPUTE_QUEUED.format(count=queued), messages.SUCCESS)
        if len(sent) - queued:
            self.message_user(request, RECOMPUTE_NOT_QUEUED.format(count=len(sent) - queued), messages.ERROR)

    @admin.action(
        description="Reopen the periods of the selected snapshots and recompute them", permissions=["recompute"]
    )
    def reopen_periods(self, request: HttpRequest, queryset) -> None:
        periods = sorted({card.period for card in queryset}, key=lambda p: (p.start, p.kind))
        count = sum(scorecards_reopen_period(period=period) for period in periods)
        labels = ", ".join(period.label for period in periods)
        self.message_user(request, REOPENED.format(periods=labels, count=count), messages.SUCCESS)
