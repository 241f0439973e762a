"""Admin of reminder settings (validated by the model) and the read-only record of every message."""

import datetime as dt

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accountability.models import Message, ReminderSettings
from accountability.reminders.admin_actions import resend_failed, send_reminder_now
from accountability.reminders.notifications import message_email
from accountability.reminders.rules import reminder_settings_get
from org.selectors import user_is_cco_staff
from roadmap.admin.tasks import TaskAdmin
from roadmap.models import CheckIn, Task


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "due_soon_days", "overdue_daily_days", "stale_days", "escalation_days", "batch_size"]
    fieldsets = [
        (
            "Owners",
            {
                "fields": [
                    "due_soon_days",
                    "remind_on_due_date",
                    "overdue_daily_days",
                    "overdue_repeat_days",
                    "stale_days",
                ]
            },
        ),
        ("Heads", {"fields": ["escalation_days"]}),
        ("Weekly digests", {"fields": ["digest_weekday", "digest_hour"]}),
        ("Delivery", {"fields": ["batch_size"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # the row exists from the migrations, with the defaults

    def changelist_view(self, request, extra_context=None):
        # One row: open it directly; should it ever be lost, the defaults in force come back.
        row = ReminderSettings.objects.order_by("pk").first() or ReminderSettings.objects.create()
        return redirect("admin:accountability_remindersettings_change", row.pk)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["for_date", "kind", "recipient", "task", "department", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "for_date"]
    date_hierarchy = "for_date"
    search_fields = ["recipient__username", "recipient__email", "task__title", "department__name", "last_error"]
    list_select_related = ["recipient", "task", "department"]
    readonly_fields = ["email", *(f.name for f in Message._meta.fields)]
    # A failed message, or all of a day's (filter by date and status, then select all), can be
    # resent after an outage longer than the retries.
    actions = [resend_failed]

    def has_resend_permission(self, request) -> bool:
        return user_is_cco_staff(user=request.user)

    @admin.display(description="email, as sent")
    def email(self, obj: Message) -> str:
        subject, body = message_email(message=obj)
        return format_html("<strong>{}</strong><div class='email'>{}</div>", subject, mark_safe(body))  # noqa: S308

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StaleTaskFilter(admin.SimpleListFilter):
    """In progress with no check-in (nor status change) for the reminders' `stale_days`."""

    title = "stale"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", f"Stale (no check-in for {reminder_settings_get().stale_days} days)")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        cut = timezone.localdate() - dt.timedelta(days=reminder_settings_get().stale_days)
        moment = dt.datetime.combine(cut + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
        recent = CheckIn.objects.filter(task_id=OuterRef("pk"), date__gt=cut)
        quiet = Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=moment)
        return queryset.filter(quiet, status=Task.Status.IN_PROGRESS).exclude(Exists(recent))


# "Send a reminder now" belongs on the Task admin, which stands on a lower floor and cannot know
# about reminders: this app adds the action to it.
TaskAdmin.actions = [*TaskAdmin.actions, send_reminder_now]
TaskAdmin.list_filter = [TaskAdmin.list_filter[0], StaleTaskFilter, *TaskAdmin.list_filter[1:]]
