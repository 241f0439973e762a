"""Moving a model's content type to its new app keeps its permissions, even beside an empty twin."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from core.content_types import content_types_move

pytestmark = pytest.mark.django_db


def test_the_old_content_type_wins_over_an_empty_twin_and_keeps_its_permission():
    old = ContentType.objects.create(app_label="oldapp", model="gadget")
    permission = Permission.objects.create(content_type=old, codename="audit_gadget", name="Can audit gadget")
    twin = ContentType.objects.create(app_label="newapp", model="gadget")  # as a post_migrate would make it
    forward, backward = content_types_move(to_app="newapp", moved=[("oldapp", "gadget")])

    forward(apps, None)

    moved = ContentType.objects.get(app_label="newapp", model="gadget")
    assert moved.pk == old.pk and not ContentType.objects.filter(pk=twin.pk).exists()
    assert Permission.objects.get(pk=permission.pk).content_type_id == old.pk

    backward(apps, None)

    assert ContentType.objects.get(pk=old.pk).app_label == "oldapp"
    assert not ContentType.objects.filter(app_label="newapp", model="gadget").exists()


def test_moving_a_content_type_that_does_not_exist_changes_nothing():
    forward, _ = content_types_move(to_app="newapp", moved=[("oldapp", "nothing")])
    before = ContentType.objects.count()
    forward(apps, None)
    assert ContentType.objects.count() == before
