"""Delivery reads the plain kinds as values: their email must be the one the model instances render."""

import datetime as dt

import pytest

from accountability.models import Message
from accountability.reminders.claimed import claimed_read
from accountability.reminders.render import message_render
from accountability.reminders.task_message import PLAIN_KINDS, TaskMessage
from core.template_shapes import _names
from roadmap.models import Task
from tests import factories

Kind = Message.Kind
# Every name a plain kind's context gives its templates (render._task_context and the greeting).
PLAIN_NAMES = {
    "name",
    "today",
    "task",
    "department",
    "title",
    "department_name",
    "initiative_title",
    "owner_name",
    "due",
    "status",
    "percent",
    "url",
    "days_late",
    "days_left",
}
# Words of those templates that name no context value: tags, the include's path, a filter, a literal.
NOT_NAMES = {"if", "else", "endif", "include", "email", "_task", "txt", "html", "pluralize", "blocked"}


@pytest.mark.parametrize("kind", sorted(PLAIN_KINDS))
@pytest.mark.parametrize("suffix", ["txt", "html"])
def test_the_templates_of_plain_kinds_read_only_what_their_values_give(kind, suffix):
    # A template that reads more (say the recipient's email) must leave PLAIN_KINDS.
    assert _names(f"email/{kind}.{suffix}")[1] - NOT_NAMES <= PLAIN_NAMES


@pytest.mark.parametrize("kind", sorted(PLAIN_KINDS))
@pytest.mark.parametrize(
    ("status", "owned", "names"),
    [
        (Task.Status.BLOCKED, True, ("Zoë", "O'Brien <R&D>")),
        (Task.Status.IN_PROGRESS, False, ("", "")),
    ],
)
def test_a_plain_kind_renders_from_its_values_as_from_its_model_instances(db, kind, status, owned, names):
    department = factories.DepartmentFactory(name="R&D <Support>")
    recipient = factories.TaskOwnerFactory(first_name=names[0], last_name=names[1], username="heidi")
    owner = factories.TaskOwnerFactory(first_name=names[0], last_name="Ünal") if owned else None
    task = factories.TaskFactory(
        department=department,
        owner=owner,
        status=status,
        percent_complete=40,
        title='Call "key" accounts & <partners>',
        initiative=factories.InitiativeFactory(title="Onboarding <fast>"),
        due_date=dt.date(2026, 6, 4),
    )
    for for_date in (dt.date(2026, 6, 1), dt.date(2026, 6, 4), dt.date(2026, 6, 9)):
        message = Message.objects.create(
            kind=kind, task=task, recipient=recipient, subject_key=f"task:{task.pk}", for_date=for_date
        )
        Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING)
        (claimed,) = claimed_read(message_ids=[message.pk])
        assert isinstance(claimed.content, TaskMessage)
        assert message_render(message=claimed.content, shared={}) == message_render(message=message)


def test_other_kinds_are_read_as_model_instances_with_their_relations_and_no_more_queries(
    db, department, owner, django_assert_num_queries
):
    task = factories.TaskFactory(department=department, owner=owner)
    message = Message.objects.create(
        kind=Kind.HEAD_DIGEST,
        department=department,
        recipient=owner,
        subject_key=f"department:{department.pk}",
        for_date=dt.date(2026, 6, 1),
        status=Message.Status.SENDING,
    )
    handoff = Message.objects.create(
        kind=Kind.HANDOFF_ESCALATION,
        task=task,
        recipient=owner,
        subject_key=f"task:{task.pk}",
        for_date=dt.date(2026, 6, 1),
        status=Message.Status.SENDING,
    )
    with django_assert_num_queries(1):
        digest, escalation = claimed_read(message_ids=[message.pk, handoff.pk])
        assert (digest.content.department.name, digest.content.recipient.username, digest.content.task) == (
            department.name,
            "owner",
            None,
        )
        assert escalation.content.task.owner.username == "owner"
        assert escalation.content.task.department.name == department.name
        assert escalation.content.task.initiative.title == task.initiative.title
