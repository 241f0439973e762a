"""The proposal buttons on an initiative's admin page: propose, approve, send back (with the reason).

Each is a POST to its own address, decided by the same selectors and services as the API's actions.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from roadmap.models import Initiative
from roadmap.proposals import initiative_approve, initiative_propose, initiative_send_back
from roadmap.selectors import initiative_decidable_by, initiative_decisions, initiative_proposable_by

PROPOSED = "Proposed to CCO staff: “{initiative}”."
APPROVED = "Approved: “{initiative}” is on the roadmap, and its proposer is told."
SENT_BACK = "Sent back: “{initiative}”; its proposer is told why."


class SendBackForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=2000)


class ProposalActions:
    """A ModelAdmin mixin for `Initiative`: the proposal's addresses, buttons and history."""

    change_form_template = "admin/roadmap/initiative/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/propose/", view(self.propose_view), name="roadmap_initiative_propose"),
            path("<int:pk>/approve/", view(self.approve_view), name="roadmap_initiative_approve"),
            path("<int:pk>/send-back/", view(self.send_back_view), name="roadmap_initiative_send_back"),
            *super().get_urls(),
        ]

    def render_change_form(self, request: HttpRequest, context: dict, *args, obj: Initiative | None = None, **kwargs):
        if obj is not None:
            context["may_propose"] = obj.proposal in (Initiative.Proposal.DRAFT, Initiative.Proposal.SENT_BACK) and (
                initiative_proposable_by(initiative=obj, user=request.user)
            )
            decidable = obj.proposal == Initiative.Proposal.PROPOSED
            context["may_decide"] = decidable and initiative_decidable_by(user=request.user)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _back(self, initiative: Initiative) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:roadmap_initiative_change", args=[initiative.pk]))

    def _refused(self, request: HttpRequest, initiative: Initiative, error: ValidationError) -> HttpResponseRedirect:
        for message in error.messages if not hasattr(error, "error_dict") else sorted(set(error.messages)):
            messages.error(request, message)
        return self._back(initiative)

    def propose_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        initiative = get_object_or_404(Initiative, pk=pk)
        if request.method != "POST" or not initiative_proposable_by(initiative=initiative, user=request.user):
            raise PermissionDenied
        try:
            initiative_propose(initiative=initiative, by=request.user)
        except ValidationError as error:
            return self._refused(request, initiative, error)
        messages.success(request, PROPOSED.format(initiative=initiative))
        return self._back(initiative)

    def approve_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        initiative = get_object_or_404(Initiative, pk=pk)
        if request.method != "POST" or not initiative_decidable_by(user=request.user):
            raise PermissionDenied
        try:
            initiative_approve(initiative=initiative, by=request.user)
        except ValidationError as error:
            return self._refused(request, initiative, error)
        messages.success(request, APPROVED.format(initiative=initiative))
        return self._back(initiative)

    def send_back_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        initiative = get_object_or_404(Initiative, pk=pk)
        if not initiative_decidable_by(user=request.user):
            raise PermissionDenied
        form = SendBackForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                initiative_send_back(initiative=initiative, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                return self._refused(request, initiative, error)
            messages.success(request, SENT_BACK.format(initiative=initiative))
            return self._back(initiative)
        context = {
            **self.admin_site.each_context(request),
            "opts": Initiative._meta,
            "initiative": initiative,
            "form": form,
            "title": f"Send back “{initiative}”",
        }
        return TemplateResponse(request, "admin/roadmap/initiative/send_back.html", context)

    def decision_history(self, obj: Initiative) -> str:
        if obj.pk is None:
            return "-"
        rows = [
            (d.at.strftime("%Y-%m-%d %H:%M"), d.get_action_display(), d.by or "-", d.reason)
            for d in initiative_decisions(initiative=obj)
        ]
        if not rows:
            return "Not proposed yet."
        items = format_html_join("", "<li>{}: {} by {}. {}</li>", rows)
        return format_html("<ul class='cco-decisions'>{}</ul>", items)

    decision_history.short_description = "decisions"
