import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from roadmap.models import Task
from roadmap.services import DEPENDENCY_SELF, task_create, task_update
from tests import factories

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    initiative = overrides.pop("initiative", None) or factories.InitiativeFactory(
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30)
    )
    department = factories.DepartmentFactory()
    return {
        "initiative": initiative,
        "department": department,
        "title": "Call every lost customer",
        "due_date": dt.date(2026, 3, 1),
        **overrides,
    }


def test_a_task_due_after_its_initiative_ends_is_refused_naming_the_due_date():
    with pytest.raises(ValidationError) as error:
        task_create(**_fields(due_date=dt.date(2026, 7, 1)))
    assert "due_date" in error.value.message_dict
    assert Task.objects.count() == 0


def test_the_override_allows_a_due_date_outside_the_initiative():
    task = task_create(**_fields(due_date=dt.date(2026, 7, 1), allow_outside_initiative_dates=True))
    assert task.pk


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_outside_0_to_100_is_refused(percent):
    with pytest.raises(ValidationError) as error:
        task_create(**_fields(percent_complete=percent))
    assert "percent_complete" in error.value.message_dict
    assert Task.objects.count() == 0


def test_a_dependency_cycle_is_refused_and_nothing_changes():
    a = task_create(**_fields(title="A"))
    b = task_create(**_fields(title="B", initiative=a.initiative), depends_on=[a])
    c = task_create(**_fields(title="C", initiative=a.initiative), depends_on=[b])
    with pytest.raises(ValidationError) as error:
        task_update(task=a, depends_on=[c], title="A renamed")
    assert "cycle" in error.value.message_dict["depends_on"][0]
    a.refresh_from_db()
    assert a.title == "A" and list(a.depends_on.all()) == []


def test_a_task_cannot_depend_on_itself():
    a = task_create(**_fields())
    with pytest.raises(ValidationError) as error:
        task_update(task=a, depends_on=[a])
    assert error.value.message_dict["depends_on"] == [DEPENDENCY_SELF]


def test_completing_sets_completed_at_and_reopening_clears_it():
    task = task_create(**_fields())
    task = task_update(task=task, status=Task.Status.DONE)
    assert task.completed_at is not None and task.percent_complete == 100
    task = task_update(task=task, status=Task.Status.IN_PROGRESS)
    assert task.completed_at is None
