"""Building blocks shared by the admin modules of every app.

- `badge()`: a health, confidence or movement value as a coloured badge.
- `ServiceForm`: a model form that runs the same full validation the services run, so a bad
  value is a form error naming the field, never a failed save halfway through.
- `VersionedForm`: refuses to save over a change someone else saved since the form was opened.
- `GuardedAdmin` / `ScopedAdmin`: object-level permissions from the selectors, and POSTs
  from read-only users refused with 403 (also on the changelist and the history revert page).
  An admin's `choices` rule (core/choices.py, the same one the API applies) limits what each
  related field may be set to.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import InlineForeignKeyField
from django.http import HttpRequest
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.choices import ChoicesRule

BADGE_COLOURS = {
    "green": "#2e7d32",
    "amber": "#b26a00",
    "red": "#c62828",
    "gained": "#2e7d32",
    "lost": "#c62828",
}


def badge(value: str | None, label: str | None = None) -> str:
    """`value` picks the colour (green, amber, red, gained, lost); `label` is the text shown."""
    if not value:
        return "-"
    colour = BADGE_COLOURS.get(value, "#616161")
    return format_html(
        '<span class="cco-badge cco-badge-{}" style="background:{};color:#fff;padding:2px 8px;'
        'border-radius:10px;font-weight:600;white-space:nowrap">{}</span>',
        value,
        colour,
        label or value,
    )


def copy_saved(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance the object a service saved (pk, version…)."""
    for name, value in saved.__dict__.items():
        if name != "_state":
            obj.__dict__[name] = value
    obj._state.adding = False
    obj._state.db = saved._state.db


def form_values(form: forms.ModelForm, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """All cleaned values of the model fields in this form, for a service's create call."""
    opts = form._meta.model._meta
    # Concrete fields only: many-to-many values go to the service by name, the primary key never.
    model_fields = {f.name for f in opts.concrete_fields} - {opts.pk.name}
    return {k: v for k, v in form.cleaned_data.items() if k in model_fields and k not in skip}


class ServiceForm(forms.ModelForm):
    """Runs the model's full validation (clean(), constraints) like the services do.

    The admin sets `request_user` per request; `prepare_instance()` fills in what the service
    will set itself (author, giver…), so that a form that validates is a save that succeeds.
    """

    request_user = None

    def prepare_instance(self) -> None:
        """Hook: set the fields the service fills in before the final validation."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if self._errors:
            return
        self.prepare_instance()
        # An inline's parent may not exist yet; Django skips its key for the same reason.
        exclude = {name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)}
        try:
            self.instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)


STALE_FORM = (
    "Someone else saved this {kind} since you opened it (it is now at version {current}, you started from "
    "version {given}). Nothing was saved: open it again to see their change, then make yours."
)


class VersionedForm(ServiceForm):
    """Optimistic concurrency in the admin, as the API's If-Match: the version the form was opened at.

    The check locks the row (the admin's change view runs in one transaction), so the service's
    own version check that follows cannot disagree. A POST without the field is not checked.
    """

    expected_version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        given = cleaned.get("expected_version")
        if self.instance.pk and given is not None:
            rows = type(self.instance).objects.select_for_update().filter(pk=self.instance.pk)
            current = rows.values_list("version", flat=True).first()
            if current is not None and current != given:
                kind = self._meta.model._meta.verbose_name
                raise ValidationError(STALE_FORM.format(kind=kind, current=current, given=given), code="stale")
        return cleaned


def apply_choices(
    fields: dict[str, forms.Field], rule: ChoicesRule | None, *, user: Any, instance: Model | None
) -> None:
    """Limit a form's related fields to what this user may choose (fields shown read-only are not in `fields`)."""
    if rule is None:
        return
    for name, queryset in rule(user=user, instance=instance).items():
        if name in fields and hasattr(fields[name], "queryset"):
            fields[name].queryset = queryset


class GuardedAdmin(admin.ModelAdmin):
    """Base of every admin: forms know the user, related fields follow `choices`, read-only users' POSTs are refused."""

    choices: ChoicesRule | None = None

    def get_form(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user  # a fresh class per call (modelform_factory), so this is per request
        apply_choices(form.base_fields, self.choices, user=request.user, instance=obj)
        return form

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        # Actions and list edits are POSTs; someone who may change and delete nothing gets a 403, not a no-op.
        read_only = not (self.has_change_permission(request) or self.has_delete_permission(request))
        if request.method == "POST" and read_only:
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


class ScopedAdmin(GuardedAdmin):
    """Object-level permissions: subclasses say what a user sees (`scope`) and may change (`may_change`)."""

    def scope(self, request: HttpRequest) -> QuerySet:
        raise NotImplementedError

    def may_see(self, request: HttpRequest, obj: Model) -> bool:
        raise NotImplementedError

    def may_change(self, request: HttpRequest, obj: Model) -> bool:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = self.scope(request)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and (obj is None or self.may_see(request, obj))

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or self.may_change(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or self.may_change(request, obj))

    def get_deleted_objects(self, objs, request: HttpRequest):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # "Delete selected" checks only the model permission; the objects must be changeable too.
        if any(not self.may_change(request, obj) for obj in objs):
            perms_needed.add(self.opts.verbose_name)
        return deleted, counts, perms_needed, protected


class GuardedHistoryAdmin(GuardedAdmin, SimpleHistoryAdmin):
    """History pages of simple_history, whose revert POST needs the change permission on the object."""

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedHistoryAdmin(ScopedAdmin, GuardedHistoryAdmin):
    """A scoped admin with history pages."""


class UserFormInline:
    """Mixin for inlines whose form is a `ServiceForm`: tell it the request's user, apply `choices`.

    An inline's rows are different objects: its choices are those of a new one.
    """

    choices: ChoicesRule | None = None

    def get_formset(self, request: HttpRequest, obj: Model | None = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.request_user = request.user
        apply_choices(formset.form.base_fields, self.choices, user=request.user, instance=None)
        return formset
