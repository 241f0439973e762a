"""The recognition services, called directly against the database."""

import pytest
from django.core.exceptions import ValidationError

from accountability.models import Recognition
from accountability.recognition.services import recognition_create, recognition_update
from tests import factories

pytestmark = pytest.mark.django_db

NOT_SELF = "People cannot recognise themselves."
ONE_SUBJECT = "Recognise exactly one thing: a task, an initiative or a metric."


def test_creating_a_recognition_saves_giver_recipient_subject_and_note(cco_staff, owner):
    task = factories.TaskFactory(owner=owner)
    recognition = recognition_create(giver=cco_staff, recipient=owner, task=task, note="Saved the account.")
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert (recognition.giver, recognition.recipient, recognition.task) == (cco_staff, owner, task)
    assert recognition.note == "Saved the account."
    assert recognition.created_at is not None


def test_recognising_oneself_is_refused_and_saves_nothing(owner):
    with pytest.raises(ValidationError) as error:
        recognition_create(giver=owner, recipient=owner, task=factories.TaskFactory(), note="Well done me.")
    assert NOT_SELF in error.value.messages
    assert not Recognition.objects.exists()


def test_a_recognition_for_two_things_is_refused_and_saves_nothing(cco_staff, owner):
    with pytest.raises(ValidationError) as error:
        recognition_create(
            giver=cco_staff,
            recipient=owner,
            task=factories.TaskFactory(),
            metric=factories.MetricFactory(),
            note="Both.",
        )
    assert ONE_SUBJECT in error.value.messages
    assert not Recognition.objects.exists()


def test_a_recognition_for_nothing_is_refused_and_saves_nothing(cco_staff, owner):
    with pytest.raises(ValidationError) as error:
        recognition_create(giver=cco_staff, recipient=owner, note="For nothing in particular.")
    assert ONE_SUBJECT in error.value.messages
    assert not Recognition.objects.exists()


def test_a_recognition_without_a_note_is_refused_on_note(cco_staff, owner):
    with pytest.raises(ValidationError) as error:
        recognition_create(giver=cco_staff, recipient=owner, initiative=factories.InitiativeFactory(), note="")
    assert "note" in error.value.message_dict
    assert not Recognition.objects.exists()


def test_correcting_a_recognition_saves_the_change_and_keeps_the_giver(owner, head):
    recognition = factories.RecognitionFactory(recipient=owner, note="Typo in thsi note.")
    giver, created_at = recognition.giver, recognition.created_at
    initiative = factories.InitiativeFactory()
    recognition_update(recognition=recognition, recipient=head, task=None, initiative=initiative, note="Fixed.")
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert (recognition.giver, recognition.recipient, recognition.initiative) == (giver, head, initiative)
    assert (recognition.task, recognition.note, recognition.created_at) == (None, "Fixed.", created_at)


def test_correcting_a_recognition_to_its_giver_is_refused_and_changes_nothing(owner):
    recognition = factories.RecognitionFactory(recipient=owner, note="Original.")
    with pytest.raises(ValidationError) as error:
        recognition_update(recognition=recognition, recipient=recognition.giver, note="Changed.")
    assert NOT_SELF in error.value.messages
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert (recognition.recipient, recognition.note) == (owner, "Original.")


def test_correcting_a_recognition_to_a_second_subject_is_refused_and_changes_nothing(owner):
    recognition = factories.RecognitionFactory(recipient=owner, note="Original.")
    with pytest.raises(ValidationError) as error:
        recognition_update(recognition=recognition, metric=factories.MetricFactory(), note="Changed.")
    assert ONE_SUBJECT in error.value.messages
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert (recognition.metric, recognition.note) == (None, "Original.")
