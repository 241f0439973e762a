"""Subject, plain text and HTML of a message, from templates/email/<kind>.txt and .html."""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Template, engines
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from accountability.models import Message
from accountability.reminders import digests
from accountability.reminders.fading_words import fading_context

Kind = Message.Kind

SUBJECTS = {
    Kind.DUE_SOON: "Due {due_date:%d %b}: {task}",
    Kind.OVERDUE: "Overdue since {due_date:%d %b}: {task}",
    Kind.STALE: "No check-in for a while: {task}",
    Kind.ESCALATION: "Escalation: {task} ({department})",
    Kind.HANDOFF_ESCALATION: "Hand-off blocked: {task} ({department})",
    Kind.HEAD_DIGEST: "Weekly digest: {department}",
    Kind.NUDGE: "Reminder: {task} is due {due_date:%d %b}",
    Kind.CCO_DIGEST: "Weekly CCO digest: every department, worst first",
    Kind.FADE: "Task force fading: {initiative} ({month:%B %Y})",
}


def admin_url(app_model: str, pk: int | None = None) -> str:
    """An absolute link into the admin (change page of one object, or the changelist)."""
    app, model = app_model.split(".")
    name = f"admin:{app}_{model}_change" if pk else f"admin:{app}_{model}_changelist"
    try:
        path = reverse(name, args=[pk] if pk else [])
    except NoReverseMatch:  # the model's admin is not registered (yet): the conventional path
        path = f"/admin/{app}/{model}/{pk}/change/" if pk else f"/admin/{app}/{model}/"
    return settings.SITE_URL.rstrip("/") + path


def _cco_digest(today, shared: dict) -> dict:
    """The CCO digest of a date is the same for every CCO staff member: built once per batch."""
    if ("cco_digest", today) not in shared:
        shared["cco_digest", today] = digests.cco_digest(today=today)
    return shared["cco_digest", today]


def _cached(shared: dict, key: tuple, make):
    if key not in shared:
        shared[key] = make()
    return shared[key]


def _task_context(message: Message, shared: dict) -> dict:
    """A task message's words as plain values: cheap to render, and the same in the text and the HTML."""
    task, owner = message.task, message.task.owner
    return {
        "task": task,
        "department": task.department,
        "title": task.title,
        "department_name": task.department.name,
        "initiative_title": task.initiative.title,
        "owner_name": (owner.get_full_name() or owner.username) if owner else "",
        "due": _cached(shared, ("due", task.due_date), lambda: date_format(task.due_date, "l j F Y")),
        "status": task.get_status_display(),
        "percent": task.percent_complete,
        "url": admin_url("roadmap.task", task.pk),
        "days_late": (message.for_date - task.due_date).days,
        "days_left": (task.due_date - message.for_date).days,
    }


def _context(message: Message, shared: dict) -> dict:
    recipient = message.recipient
    context: dict = {
        "message": message,
        "recipient": recipient,
        "name": recipient.get_full_name() or recipient.username,
        "today": message.for_date,
    }
    if message.task is not None:
        context.update(_task_context(message, shared))
    elif message.kind == Kind.FADE:
        context.update(fading_context(message=message))
    elif message.kind == Kind.HEAD_DIGEST:
        context.update(digests.head_digest(department=message.department, today=message.for_date))
        context.update(department=message.department, url=admin_url("roadmap.task") + "?department__id__exact=%s")
        context["url"] = context["url"] % message.department_id
    else:
        context.update(_cco_digest(message.for_date, shared), url=admin_url("roadmap.initiative"))
    return context


def _template(name: str, shared: dict) -> Template:
    """A template compiled once per batch (and once per process where the cached loader is on)."""
    return _cached(shared, ("template", name), lambda: engines["django"].engine.get_template(name))


def message_render(*, message: Message, shared: dict | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of a message; `shared` keeps what a batch's messages have in common."""
    shared = {} if shared is None else shared
    context = _context(message, shared)
    subject = SUBJECTS[message.kind].format(
        task=context.get("task"),
        department=context.get("department"),
        due_date=getattr(context.get("task"), "due_date", message.for_date),
        initiative=context.get("initiative"),
        month=message.for_date,
    )
    # Plain text is not HTML: "R&D" stays "R&D" there, and is escaped only in the HTML part.
    text = _template(f"email/{message.kind}.txt", shared).render(Context(context, autoescape=False))
    html = _template(f"email/{message.kind}.html", shared).render(Context(context))
    return subject, text, html
