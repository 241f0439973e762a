"""Subject, plain text and HTML of a message, from templates/email/<kind>.txt and .html."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template import Template, engines
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format

from accountability.models import Message
from accountability.reminders import digests
from accountability.reminders.fading_words import fading_context
from accountability.reminders.task_message import TaskFacts, TaskMessage, task_facts
from core.periods import Period
from core.template_shapes import django_render, shape_render
from customers.models import LossReason
from roadmap.models import InitiativeDecision
from roadmap.selectors import loss_reasons_top

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
    Kind.SLIP_APPROVAL: "Slip waiting for you: {task} ({department})",
    Kind.PROPOSAL_DECISION: "{decision}",
    Kind.LOSS_REASON_ALERT: "{decision}",
    Kind.FADE: "Task force fading: {initiative} ({month:%B %Y})",
}
NO_OWNER = "nobody (the department head is reminded)"
ALERT_SUBJECT = "No active initiative: {reason}, a top loss reason of {quarter}"
DECISION_SUBJECTS = {
    "approved": "Approved: your proposal “{title}” is on the roadmap",
    "sent_back": "Sent back: your proposal “{title}” needs more work",
}


def admin_url(app_model: str, pk: int | str | None = None) -> str:
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


def _task_url(pk: int, shared: dict) -> str:
    """The task's admin link: reversed once per batch, the id put in per message."""
    head, tail = _cached(shared, ("task_url",), lambda: admin_url("roadmap.task", "-pk-").rsplit("-pk-", 1))
    return f"{head}{pk}{tail}"


def _task_context(task: TaskFacts, for_date: dt.date, shared: dict) -> dict:
    """A task message's words as plain values: cheap to render, and the same in the text and the HTML.

    Plain strings are filled into a template rendered once per batch (`core/template_shapes.py`).
    """
    return {
        "task": task,
        "department": task.department,
        "title": task.title,
        "department_name": task.department.name,
        "initiative_title": task.initiative_title,
        "owner_name": NO_OWNER if task.owner_name is None else task.owner_name,
        "due": _cached(shared, ("due", task.due_date), lambda: date_format(task.due_date, "l j F Y")),
        "status": task.status_display,
        "percent": task.percent_complete,
        "url": _task_url(task.pk, shared),
        "days_late": (for_date - task.due_date).days,
        "days_left": (task.due_date - for_date).days,
    }


def _decision_context(message: Message) -> dict:
    """A proposal decision's words: which initiative, who decided, and (sent back) why."""
    decision_id = int(message.subject_key.split(":", 1)[1])
    decision = InitiativeDecision.objects.select_related("initiative", "by").get(pk=decision_id)
    by = decision.by
    return {
        "decision": decision,
        "approved": decision.action == InitiativeDecision.Action.APPROVED,
        "title": decision.initiative.title,
        "decided_by": (by.get_full_name() or by.username) if by else "CCO staff",
        "reason": decision.reason,
        "subject": DECISION_SUBJECTS[decision.action].format(title=decision.initiative.title),
        "url": admin_url("roadmap.initiative", decision.initiative_id),
    }


def _loss_reason_context(message: Message, shared: dict) -> dict:
    """The reason, its owner, and what it cost in the quarter so far (the quarter is the message's date)."""
    quarter = Period.containing(message.for_date)
    rows = _cached(shared, ("loss_reasons", quarter), lambda: loss_reasons_top(start=quarter.start, end=quarter.end))
    reason_id = int(message.subject_key.split(":", 1)[1])
    row = next((r for r in rows if r.reason.pk == reason_id), None)
    reason = row.reason if row else LossReason.objects.select_related("department").get(pk=reason_id)
    return {
        "reason": reason,
        "row": row,
        "quarter": quarter,
        "owner_name": reason.department.name if reason.department else "",
        "subject": ALERT_SUBJECT.format(reason=reason.name, quarter=quarter),
        "url": settings.SITE_URL.rstrip("/") + reverse("admin:review_dashboard") + f"?period={quarter}",
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
        context.update(_task_context(task_facts(message.task), message.for_date, shared))
        # Other kinds' templates read the task's relations (hand-offs, slips): the model instances.
        context.update(task=message.task, department=message.task.department)
        if message.kind == Kind.SLIP_APPROVAL:  # one read per such message: they are few
            context["slip"] = message.task.slips.select_related("moved_by").filter(status="pending").first()
            context["slips_url"] = admin_url("roadmap.slip") + "?status__exact=pending"
    elif message.kind == Kind.PROPOSAL_DECISION:
        context.update(_decision_context(message))
    elif message.kind == Kind.LOSS_REASON_ALERT:
        context.update(_loss_reason_context(message, shared))
    elif message.kind == Kind.FADE:
        context.update(fading_context(message=message))
    elif message.kind == Kind.HEAD_DIGEST:
        context.update(digests.head_digest(department=message.department, today=message.for_date))
        context.update(department=message.department, url=admin_url("roadmap.task") + "?department__id__exact=%s")
        context["url"] = context["url"] % message.department_id
    else:
        context.update(_cco_digest(message.for_date, shared), url=admin_url("roadmap.initiative"))
    return context


def _task_message_render(message: TaskMessage, shared: dict) -> tuple[str, str, str]:
    task = message.task
    context = {"name": message.name, "today": message.for_date, **_task_context(task, message.for_date, shared)}
    subject = SUBJECTS[message.kind].format(task=task.title, department=task.department.name, due_date=task.due_date)
    return _subject_text_html(message.kind, subject, context, shared)


def _template(name: str, shared: dict) -> Template:
    """A template compiled once per batch (and once per process where the cached loader is on)."""
    return _cached(shared, ("template", name), lambda: engines["django"].engine.get_template(name))


def message_subject(*, message: Message) -> str:
    """The subject line alone (for lists): reads only the message's task, its department and department."""
    if message.kind in (Kind.PROPOSAL_DECISION, Kind.LOSS_REASON_ALERT, Kind.FADE):
        return message.get_kind_display()  # their subject needs their whole context: render them for it
    task = message.task
    return SUBJECTS[message.kind].format(
        task=task,
        department=task.department if task is not None else message.department,
        due_date=getattr(task, "due_date", message.for_date),
    )


def message_render(*, message: Message | TaskMessage, shared: dict | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of a message; `shared` keeps what a batch's messages have in common.

    A `TaskMessage` (delivery reads plain kinds as values) renders the same from its values.
    """
    shared = {} if shared is None else shared
    if isinstance(message, TaskMessage):
        return _task_message_render(message, shared)
    context = _context(message, shared)
    subject = SUBJECTS[message.kind].format(
        task=context.get("task"),
        department=context.get("department"),
        due_date=getattr(context.get("task"), "due_date", message.for_date),
        decision=context.get("subject", ""),
        initiative=context.get("initiative"),
        month=message.for_date,
    )
    return _subject_text_html(message.kind, subject, context, shared)


def _subject_text_html(kind: str, subject: str, context: dict, shared: dict) -> tuple[str, str, str]:
    # Plain text is not HTML: "R&D" stays "R&D" there, and is escaped only in the HTML part.
    return (
        subject,
        _render(f"email/{kind}.txt", context, False, shared),
        _render(f"email/{kind}.html", context, True, shared),
    )


def _render(name: str, context: dict, autoescape: bool, shared: dict) -> str:
    """The template rendered once per shape in a batch, each message's own strings filled in."""
    render = django_render(_template(name, shared), autoescape=autoescape)
    return shape_render(name, context, autoescape=autoescape, shapes=shared.setdefault("shapes", {}), render=render)
