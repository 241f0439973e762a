"""Admin of recognitions: anyone with the role may thank someone; CCO staff correct them."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accountability.models import Recognition
from accountability.recognition.selectors import recognition_choices
from accountability.recognition.services import recognition_create, recognition_update
from core.admin_tools import GuardedAdmin, ServiceForm, copy_saved, form_values

RECOGNITION_NOT_SELF = "People cannot recognise themselves; pick someone else."
RECOGNITION_ONE_SUBJECT = "Recognise exactly one thing: a task, an initiative or a metric."


class RecognitionForm(ServiceForm):
    class Meta:
        model = Recognition
        fields = "__all__"

    def clean(self) -> dict:
        cleaned = super().clean()
        giver = self.instance.giver if self.instance.giver_id else self.request_user
        if cleaned.get("recipient") is not None and cleaned["recipient"].pk == giver.pk:
            self.add_error("recipient", RECOGNITION_NOT_SELF)
        subjects = [name for name in ("task", "initiative", "metric") if cleaned.get(name) is not None]
        if len(subjects) != 1:
            field = subjects[-1] if subjects else "task"
            self.add_error(field, RECOGNITION_ONE_SUBJECT)
        return cleaned

    def prepare_instance(self) -> None:
        if self.instance.pk is None:
            self.instance.giver = self.request_user


@admin.register(Recognition)
class RecognitionAdmin(GuardedAdmin):
    form = RecognitionForm
    list_display = ["created_at", "giver", "recipient", "subject", "short_note"]
    list_filter = ["created_at"]
    search_fields = ["note", "giver__username", "recipient__username", "recipient__last_name"]
    date_hierarchy = "created_at"
    list_select_related = ["giver", "recipient", "task", "initiative", "metric"]
    autocomplete_fields = ["task"]
    fields = ["giver", "recipient", "task", "initiative", "metric", "note"]
    readonly_fields = ["giver"]
    choices = staticmethod(recognition_choices)  # the API's rule too

    def save_model(self, request: HttpRequest, obj: Recognition, form: RecognitionForm, change: bool) -> None:
        if change:  # a correction by CCO staff
            copy_saved(obj, recognition_update(recognition=obj, **form_values(form)))
            return
        copy_saved(obj, recognition_create(giver=request.user, **form_values(form)))

    @admin.display(description="for")
    def subject(self, obj: Recognition) -> str:
        return str(obj.task or obj.initiative or obj.metric)

    @admin.display(description="note")
    def short_note(self, obj: Recognition) -> str:
        return obj.note if len(obj.note) <= 80 else obj.note[:79] + "…"
