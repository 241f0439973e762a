"""The import page: upload, dry run with each row's result, then confirm (all or nothing)."""

from __future__ import annotations

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from review.imports import KINDS, NOT_ALLOWED, NOTHING_IMPORTED, ImportRefused, import_run, user_may_import

MAX_BYTES = 5 * 1024 * 1024
TOO_BIG = "The file is larger than 5 MB; split it."
EXPIRED = "This import is no longer waiting for confirmation; upload the file again."
IMPORTED = "Imported {count} {kind}."
SESSION_KEY = "review_import"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, label) for k, (label, _) in KINDS.items()])
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX, with a header row.")


def _columns() -> list[tuple[str, list[str], list[str]]]:
    return [
        (label, list(resource.required), [f for f in resource._meta.fields if f not in resource.required])
        for label, resource in KINDS.values()
    ]


def _render(request: HttpRequest, site, **extra) -> HttpResponse:
    context = {**site.each_context(request), "title": "Import", "columns": _columns(), **extra}
    return TemplateResponse(request, "admin/review/import.html", context)


def _preview(request: HttpRequest, site, form: ImportForm) -> HttpResponse:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        return _render(request, site, form=form, error=TOO_BIG)
    content, kind = upload.read(), form.cleaned_data["kind"]
    try:
        report = import_run(kind=kind, filename=upload.name, content=content, user=request.user, dry_run=True)
    except ImportRefused as exc:
        return _render(request, site, form=form, error=str(exc))
    token = ""
    if not report.errors:
        token = hashlib.sha256(content).hexdigest()
        request.session[SESSION_KEY] = {
            "token": token,
            "kind": kind,
            "filename": upload.name,
            "content": base64.b64encode(content).decode(),
        }
    return _render(request, site, form=form, report=report, token=token, filename=upload.name)


def _confirm(request: HttpRequest, site) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token"):
        return _render(request, site, form=ImportForm(), error=EXPIRED)
    del request.session[SESSION_KEY]
    try:
        report = import_run(
            kind=pending["kind"],
            filename=pending["filename"],
            content=base64.b64decode(pending["content"]),
            user=request.user,
            dry_run=False,
        )
    except ImportRefused as exc:
        return _render(request, site, form=ImportForm(), error=str(exc))
    if not report.committed:
        return _render(request, site, form=ImportForm(), report=report, error=NOTHING_IMPORTED)
    messages.success(request, IMPORTED.format(count=len(report.rows), kind=KINDS[report.kind][0].lower()))
    return HttpResponseRedirect(reverse("admin:review_import"))


def import_view(request: HttpRequest, *, site) -> HttpResponse:
    if not user_may_import(user=request.user):
        raise PermissionDenied(NOT_ALLOWED)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, site)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview(request, site, form)
        return _render(request, site, form=form)
    return _render(request, site, form=ImportForm())
