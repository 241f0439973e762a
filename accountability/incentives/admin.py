"""Admin of variable pay (CCO staff): each plan's metrics and weights, and metrics that pull against each other."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from accountability.incentives.selectors import metric_conflict_choices, pay_plan_choices, pay_plan_list
from accountability.incentives.services import CONFLICT_SAME, pay_plan_save, pay_weights_validate
from accountability.models import MetricConflict, PayPlan, PayWeight
from core.admin_tools import GuardedAdmin, ServiceForm, copy_saved, form_values


def _kept(formset) -> list[forms.Form]:
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class PayWeightFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        weights = [(f.cleaned_data["metric"], f.cleaned_data["weight"]) for f in _kept(self)]
        try:
            pay_weights_validate(weights=weights)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["weights"]) from None


class PayWeightInline(admin.TabularInline):
    model = PayWeight
    formset = PayWeightFormSet
    fields = ["metric", "weight"]
    extra = 3


class PayPlanForm(ServiceForm):
    class Meta:
        model = PayPlan
        fields = ["department", "role", "note"]


@admin.register(PayPlan)
class PayPlanAdmin(GuardedAdmin):
    form = PayPlanForm
    list_display = ["__str__", "department", "role", "updated_at"]
    inlines = [PayWeightInline]
    choices = staticmethod(pay_plan_choices)

    def get_queryset(self, request: HttpRequest):
        return pay_plan_list()

    def save_model(self, request: HttpRequest, obj: PayPlan, form: PayPlanForm, change: bool) -> None:
        """Saved with its weights in `save_related`, in one service call: a plan never exists without them."""

    def save_related(self, request: HttpRequest, form: PayPlanForm, formsets, change: bool) -> None:
        [weights] = [fs for fs in formsets if fs.model is PayWeight]
        pairs = [(f.cleaned_data["metric"], f.cleaned_data["weight"]) for f in _kept(weights)]
        saved = pay_plan_save(plan=obj if (obj := form.instance).pk else None, weights=pairs, **form_values(form))
        copy_saved(obj, saved)
        # The service replaced the weights; the change message reads what the formset would have saved.
        weights.new_objects, weights.changed_objects, weights.deleted_objects = [], [], []


class MetricConflictForm(forms.ModelForm):
    class Meta:
        model = MetricConflict
        fields = ["metric_a", "metric_b", "why"]

    def clean(self) -> dict:
        cleaned = super().clean()
        a, b = cleaned.get("metric_a"), cleaned.get("metric_b")
        if a and b and a.pk == b.pk:
            raise ValidationError({"metric_b": CONFLICT_SAME})
        if a and b and a.pk > b.pk:  # one order per pair, so the pair is unique whichever way it is entered
            cleaned["metric_a"], cleaned["metric_b"] = b, a
        return cleaned


@admin.register(MetricConflict)
class MetricConflictAdmin(GuardedAdmin):
    form = MetricConflictForm
    list_display = ["metric_a", "metric_b", "why"]
    list_select_related = ["metric_a", "metric_b"]
    choices = staticmethod(metric_conflict_choices)
