"""Admin of reminder settings (validated by the model) and the read-only record of every message."""

from django.contrib import admin

from accountability.models import Message, ReminderSettings
from accountability.reminders.admin_actions import resend_failed, send_reminder_now
from org.selectors import user_is_cco_staff
from roadmap.admin.tasks import TaskAdmin


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
        # One row: add it once, then change it.
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["for_date", "kind", "recipient", "task", "department", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", "for_date"]
    date_hierarchy = "for_date"
    search_fields = ["recipient__username", "recipient__email", "task__title", "department__name", "last_error"]
    list_select_related = ["recipient", "task", "department"]
    readonly_fields = [f.name for f in Message._meta.fields]
    # A failed message, or all of a day's (filter by date and status, then select all), can be
    # resent after an outage longer than the retries.
    actions = [resend_failed]

    def has_resend_permission(self, request) -> bool:
        return user_is_cco_staff(user=request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# "Send a reminder now" belongs on the Task admin, which stands on a lower floor and cannot know
# about reminders: this app adds the action to it.
TaskAdmin.actions = [*TaskAdmin.actions, send_reminder_now]
