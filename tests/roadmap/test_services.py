"""The roadmap services (`roadmap/services.py`), called directly against the database."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.versions import StaleVersionError
from org.models import RecomputeRequest
from roadmap.models import CheckIn, Initiative, Task
from roadmap.services import (
    DEPENDENCY_SELF,
    check_in_create,
    check_in_delete,
    check_in_update,
    initiative_create,
    initiative_update,
    task_complete,
    task_create,
    task_delete,
    task_dependencies_validate,
    task_update,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def initiative(db):
    return factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 6, 30))


def _task_fields(initiative, department, **overrides):
    return {
        "initiative": initiative,
        "department": department,
        "title": "Call every lost customer",
        "due_date": dt.date(2026, 3, 1),
        **overrides,
    }


def _stale_keys():
    return set(RecomputeRequest.objects.values_list("key", flat=True))


def _reread(obj):
    return type(obj).objects.get(pk=obj.pk)


# task_create


def test_creating_a_task_due_after_its_initiative_ends_is_refused_on_due_date_and_saves_nothing(initiative, department):
    with pytest.raises(ValidationError) as error:
        task_create(**_task_fields(initiative, department, due_date=dt.date(2026, 7, 1)))
    assert list(error.value.message_dict) == ["due_date"]
    assert not Task.objects.exists()
    assert not RecomputeRequest.objects.exists()


def test_creating_a_task_due_before_its_initiative_starts_is_refused_on_due_date(initiative, department):
    with pytest.raises(ValidationError) as error:
        task_create(**_task_fields(initiative, department, due_date=dt.date(2025, 12, 31)))
    assert "due_date" in error.value.message_dict
    assert not Task.objects.exists()


def test_a_task_due_on_its_initiatives_last_day_is_created(initiative, department):
    task = task_create(**_task_fields(initiative, department, due_date=dt.date(2026, 6, 30)))
    assert _reread(task).due_date == dt.date(2026, 6, 30)


def test_allow_outside_initiative_dates_lets_a_task_be_due_after_the_initiative(initiative, department):
    task = task_create(
        **_task_fields(initiative, department, due_date=dt.date(2026, 7, 1), allow_outside_initiative_dates=True)
    )
    assert _reread(task).due_date == dt.date(2026, 7, 1)


def test_creating_a_task_refuses_a_percent_above_100_and_saves_nothing(initiative, department):
    with pytest.raises(ValidationError) as error:
        task_create(**_task_fields(initiative, department, percent_complete=101))
    assert "percent_complete" in error.value.message_dict
    assert not Task.objects.exists()


def test_creating_a_task_sets_status_changed_at_to_now(initiative, department):
    task = _reread(task_create(**_task_fields(initiative, department, status=Task.Status.IN_PROGRESS)))
    assert task.status == Task.Status.IN_PROGRESS
    assert task.status_changed_at == NOW
    assert task.completed_at is None
    assert task.version == 1


def test_a_task_created_not_started_also_gets_status_changed_at(initiative, department):
    task = _reread(task_create(**_task_fields(initiative, department)))
    assert task.status == Task.Status.NOT_STARTED
    assert task.status_changed_at == NOW


def test_a_task_created_done_is_completed_now_at_100_percent(initiative, department):
    task = _reread(task_create(**_task_fields(initiative, department, status=Task.Status.DONE, percent_complete=30)))
    assert task.status == Task.Status.DONE
    assert task.completed_at == NOW
    assert task.percent_complete == 100


def test_a_task_created_done_keeps_the_completion_time_given(initiative, department):
    finished = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    task = _reread(task_create(**_task_fields(initiative, department, status=Task.Status.DONE, completed_at=finished)))
    assert task.completed_at == finished


def test_a_task_created_not_done_with_a_completion_time_is_refused_on_completed_at(initiative, department):
    with pytest.raises(ValidationError) as error:
        task_create(**_task_fields(initiative, department, completed_at=NOW))
    assert "completed_at" in error.value.message_dict
    assert not Task.objects.exists()


def test_creating_a_task_sets_its_dependencies(initiative, department):
    first = factories.TaskFactory(initiative=initiative, department=department)
    second = factories.TaskFactory(initiative=initiative, department=department)
    task = task_create(**_task_fields(initiative, department), depends_on=[first, second])
    assert set(_reread(task).depends_on.all()) == {first, second}


def test_creating_a_task_marks_its_department_and_the_company_stale(initiative, department, other_department):
    task_create(**_task_fields(initiative, department))
    # Due 1 March, created on 20 May: March, April (whose change follows March) and Q1 are past
    # periods marked as well; Q2 and May are the current ones.
    subjects = ["company", f"department-{department.pk}"]
    assert _stale_keys() == {f"{s}{p}" for s in subjects for p in ("", "@2026-03", "@2026-04", "@2026-Q1")}
    assert RecomputeRequest.objects.get(department=department, period_start=None).requested_at == NOW


def test_a_task_due_in_the_current_quarter_marks_only_the_current_periods(initiative, department):
    task_create(**_task_fields(initiative, department, due_date=dt.date(2026, 5, 25)))
    assert _stale_keys() == {"company", f"department-{department.pk}"}


# task_update


def test_updating_a_task_increments_its_version(department):
    task = factories.TaskFactory(department=department)
    task = task_update(task=task, title="Renamed")
    assert (task.title, task.version) == ("Renamed", 2)
    task = task_update(task=task, expected_version=2, description="Now with details")
    assert _reread(task).version == 3


def test_updating_a_task_from_a_stale_version_raises_and_changes_nothing(department):
    task = factories.TaskFactory(department=department, title="Original")
    task_update(task=task, title="Someone else's change")
    with pytest.raises(StaleVersionError):
        task_update(task=task, expected_version=1, title="My change")
    task = _reread(task)
    assert (task.title, task.version) == ("Someone else's change", 2)


def test_updating_a_task_to_a_due_date_outside_its_initiative_is_refused_and_changes_nothing(initiative, department):
    task = factories.TaskFactory(initiative=initiative, department=department, title="Original")
    with pytest.raises(ValidationError) as error:
        task_update(task=task, title="Renamed", due_date=dt.date(2026, 7, 1))
    assert "due_date" in error.value.message_dict
    task = _reread(task)
    assert (task.title, task.due_date, task.version) == ("Original", dt.date(2026, 6, 30), 1)
    assert not RecomputeRequest.objects.exists()


def test_updating_a_task_marks_its_department_and_the_company_stale(department):
    task = factories.TaskFactory(department=department)
    task_update(task=task, title="Renamed")
    assert _stale_keys() == {"company", f"department-{department.pk}"}


def test_moving_a_task_to_another_department_marks_both_departments_stale(department, other_department):
    task = factories.TaskFactory(department=department)
    task_update(task=task, department=other_department)
    assert _reread(task).department == other_department
    assert _stale_keys() == {"company", f"department-{department.pk}", f"department-{other_department.pk}"}


def test_changing_a_tasks_status_moves_status_changed_at(department, clock):
    task = factories.TaskFactory(department=department)
    clock.shift(dt.timedelta(hours=2))
    task = _reread(task_update(task=task, status=Task.Status.IN_PROGRESS))
    assert task.status_changed_at == NOW + dt.timedelta(hours=2)


def test_setting_the_same_status_again_keeps_status_changed_at(department, clock):
    task = factories.TaskFactory(department=department, status=Task.Status.IN_PROGRESS)
    clock.shift(dt.timedelta(hours=2))
    task = _reread(task_update(task=task, status=Task.Status.IN_PROGRESS, title="Renamed"))
    assert task.status_changed_at == NOW


def test_updating_a_task_to_done_completes_it_now_at_100_percent(department, clock):
    task = factories.TaskFactory(department=department, percent_complete=40)
    clock.shift(dt.timedelta(hours=1))
    task = _reread(task_update(task=task, status=Task.Status.DONE))
    assert task.completed_at == NOW + dt.timedelta(hours=1)
    assert task.percent_complete == 100


def test_updating_a_task_to_done_with_a_completion_time_keeps_that_time(department):
    finished = dt.datetime(2026, 5, 18, 16, tzinfo=dt.UTC)
    task = factories.TaskFactory(department=department)
    task = _reread(task_update(task=task, status=Task.Status.DONE, completed_at=finished))
    assert task.completed_at == finished


def test_leaving_done_clears_completed_at(department):
    task = factories.TaskFactory(department=department, status=Task.Status.DONE)
    task = _reread(task_update(task=task, status=Task.Status.IN_PROGRESS))
    assert task.status == Task.Status.IN_PROGRESS
    assert task.completed_at is None


def test_updating_a_task_without_depends_on_keeps_its_dependencies(department):
    upstream = factories.TaskFactory(department=department)
    task = task_create(**_task_fields(upstream.initiative, department), depends_on=[upstream])
    task_update(task=task, title="Renamed")
    assert list(_reread(task).depends_on.all()) == [upstream]


def test_updating_a_task_with_no_dependencies_clears_them(department):
    upstream = factories.TaskFactory(department=department)
    task = task_create(**_task_fields(upstream.initiative, department), depends_on=[upstream])
    task_update(task=task, depends_on=[])
    assert not _reread(task).depends_on.exists()


def test_a_two_task_dependency_cycle_is_refused_on_depends_on_naming_the_titles(initiative, department):
    a = factories.TaskFactory(initiative=initiative, department=department, title="A")
    b = task_create(**_task_fields(initiative, department, title="B"), depends_on=[a])
    with pytest.raises(ValidationError) as error:
        task_update(task=a, depends_on=[b])
    assert error.value.message_dict == {"depends_on": ["These dependencies would make a cycle: A → B → A."]}


def test_a_longer_dependency_cycle_is_refused_naming_every_task_on_it(initiative, department):
    a = factories.TaskFactory(initiative=initiative, department=department, title="A")
    b = task_create(**_task_fields(initiative, department, title="B"), depends_on=[a])
    c = task_create(**_task_fields(initiative, department, title="C"), depends_on=[b])
    with pytest.raises(ValidationError) as error:
        task_update(task=a, depends_on=[c])
    assert error.value.message_dict == {"depends_on": ["These dependencies would make a cycle: A → C → B → A."]}


def test_a_refused_dependency_cycle_rolls_back_the_rest_of_the_update(initiative, department):
    a = factories.TaskFactory(initiative=initiative, department=department, title="A")
    b = task_create(**_task_fields(initiative, department, title="B"), depends_on=[a])
    RecomputeRequest.objects.all().delete()
    with pytest.raises(ValidationError):
        task_update(task=a, title="A renamed", status=Task.Status.DONE, depends_on=[b])
    a = _reread(a)
    assert (a.title, a.status, a.completed_at, a.version) == ("A", Task.Status.NOT_STARTED, None, 1)
    assert not a.depends_on.exists()
    assert list(_reread(b).depends_on.all()) == [a]
    assert not RecomputeRequest.objects.exists()


def test_a_task_depending_on_itself_is_refused_and_changes_nothing(department):
    task = factories.TaskFactory(department=department, title="Original")
    with pytest.raises(ValidationError) as error:
        task_update(task=task, title="Renamed", depends_on=[task])
    assert error.value.message_dict == {"depends_on": [DEPENDENCY_SELF]}
    task = _reread(task)
    assert (task.title, task.version) == ("Original", 1)
    assert not task.depends_on.exists()


# task_complete


def test_completing_a_task_marks_it_done_now_at_100_percent(department):
    task = factories.TaskFactory(department=department, status=Task.Status.IN_PROGRESS, percent_complete=70)
    task = _reread(task_complete(task=task))
    assert (task.status, task.completed_at, task.percent_complete) == (Task.Status.DONE, NOW, 100)


def test_completing_a_task_with_a_completion_time_keeps_that_time(department):
    finished = dt.datetime(2026, 5, 19, 17, 30, tzinfo=dt.UTC)
    task = factories.TaskFactory(department=department)
    assert _reread(task_complete(task=task, completed_at=finished)).completed_at == finished


def test_completing_a_done_task_changes_nothing(department, clock):
    task = task_complete(task=factories.TaskFactory(department=department))
    version = _reread(task).version
    RecomputeRequest.objects.all().delete()
    clock.shift(dt.timedelta(days=1))
    task_complete(task=task)
    task_complete(task=_reread(task), completed_at=NOW + dt.timedelta(days=1))
    task = _reread(task)
    assert (task.version, task.completed_at, task.status_changed_at) == (version, NOW, NOW)
    assert not RecomputeRequest.objects.exists()


# task_delete


def test_deleting_a_task_removes_its_check_ins_and_no_others(department):
    task = factories.TaskFactory(department=department)
    factories.CheckInFactory.create_batch(2, task=task)
    other = factories.CheckInFactory(task=factories.TaskFactory(department=department))
    task_delete(task=task)
    assert not Task.objects.filter(pk=task.pk).exists()
    assert list(CheckIn.objects.all()) == [other]


def test_deleting_a_task_marks_its_department_and_the_company_stale(department):
    task = factories.TaskFactory(department=department)
    task_delete(task=task)
    assert _stale_keys() == {"company", f"department-{department.pk}"}


# check_in_create


def test_a_check_in_moves_the_tasks_percent(owner, department):
    task = factories.TaskFactory(department=department, owner=owner, percent_complete=10)
    check_in = check_in_create(task=task, author=owner, percent_complete=40, confidence="amber", note="Halfway-ish")
    check_in = _reread(check_in)
    assert (check_in.task, check_in.author, check_in.percent_complete) == (task, owner, 40)
    assert (check_in.confidence, check_in.note, check_in.date) == ("amber", "Halfway-ish", TODAY)
    task = _reread(task)
    assert (task.percent_complete, task.version) == (40, 2)


def test_a_back_dated_check_in_does_not_override_a_later_one(owner, department):
    task = _begun_in_april(factories.TaskFactory(department=department, owner=owner, percent_complete=80))
    factories.CheckInFactory(task=task, date=dt.date(2026, 5, 19), percent_complete=80)
    check_in_create(task=task, author=owner, percent_complete=30, date=dt.date(2026, 5, 1))
    assert _reread(task).percent_complete == 80


def test_a_check_in_at_the_tasks_percent_leaves_the_task_alone(owner, department):
    task = factories.TaskFactory(department=department, owner=owner, percent_complete=40)
    check_in_create(task=task, author=owner, percent_complete=40)
    assert _reread(task).version == 1
    assert not RecomputeRequest.objects.exists()


def test_a_check_in_on_a_done_task_keeps_the_task_at_100_percent(owner, department):
    task = factories.TaskFactory(department=department, owner=owner, status=Task.Status.DONE, percent_complete=100)
    check_in_create(task=task, author=owner, percent_complete=60)
    assert CheckIn.objects.get(task=task).percent_complete == 60
    task = _reread(task)
    assert (task.percent_complete, task.version) == (100, 1)


def test_a_check_in_is_dated_today_in_the_local_time_zone(owner, department):
    task = factories.TaskFactory(department=department, owner=owner)
    with time_machine.travel(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), tick=False):  # 00:30 in London
        check_in = check_in_create(task=task, author=owner, percent_complete=20)
    assert _reread(check_in).date == dt.date(2026, 7, 1)


def test_a_check_in_keeps_the_date_given(owner, department):
    task = _begun_in_april(factories.TaskFactory(department=department, owner=owner))
    check_in = check_in_create(task=task, author=owner, percent_complete=20, date=dt.date(2026, 5, 18))
    assert _reread(check_in).date == dt.date(2026, 5, 18)


def test_a_check_in_above_100_percent_is_refused_and_saves_nothing(owner, department):
    task = factories.TaskFactory(department=department, owner=owner, percent_complete=10)
    with pytest.raises(ValidationError) as error:
        check_in_create(task=task, author=owner, percent_complete=101)
    assert "percent_complete" in error.value.message_dict
    assert not CheckIn.objects.exists()
    assert _reread(task).percent_complete == 10


# check_in_update


def _begun_in_april(task):
    """Check-ins are never dated before their task existed: this one was made on 1 April."""
    Task.objects.filter(pk=task.pk).update(created_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    task.refresh_from_db()
    return task


def _task_with_two_check_ins(department, **task_fields):
    """A task at 60 %: checked in at 30 % on the 18th and 60 % on the 19th."""
    task = _begun_in_april(factories.TaskFactory(department=department, percent_complete=60, **task_fields))
    older = factories.CheckInFactory(task=task, date=dt.date(2026, 5, 18), percent_complete=30)
    latest = factories.CheckInFactory(task=task, date=dt.date(2026, 5, 19), percent_complete=60)
    return task, older, latest


def test_correcting_the_latest_check_in_moves_the_tasks_percent(department):
    task, _older, latest = _task_with_two_check_ins(department)
    check_in = check_in_update(check_in=latest, percent_complete=65, note="Corrected")
    assert (_reread(check_in).percent_complete, _reread(check_in).note) == (65, "Corrected")
    task = _reread(task)
    assert (task.percent_complete, task.version) == (65, 2)


def test_correcting_an_older_check_in_leaves_the_tasks_percent(department):
    task, older, _latest = _task_with_two_check_ins(department)
    check_in_update(check_in=older, percent_complete=35)
    assert _reread(older).percent_complete == 35
    task = _reread(task)
    assert (task.percent_complete, task.version) == (60, 1)


def test_redating_an_older_check_in_after_the_latest_makes_the_task_follow_it(department):
    task, older, _latest = _task_with_two_check_ins(department)
    check_in_update(check_in=older, date=dt.date(2026, 5, 20))
    assert _reread(task).percent_complete == 30


def test_of_two_check_ins_on_one_day_the_task_follows_the_one_entered_last(department):
    task = factories.TaskFactory(department=department, percent_complete=50)
    first = factories.CheckInFactory(task=task, date=TODAY, percent_complete=40)
    factories.CheckInFactory(task=task, date=TODAY, percent_complete=50)
    check_in_update(check_in=first, percent_complete=45)
    assert _reread(task).percent_complete == 50


def test_correcting_a_check_in_of_a_done_task_keeps_the_task_at_100_percent(department):
    task = factories.TaskFactory(department=department, status=Task.Status.DONE, percent_complete=100)
    check_in = factories.CheckInFactory(task=task, percent_complete=90)
    check_in_update(check_in=check_in, percent_complete=95)
    assert _reread(check_in).percent_complete == 95
    task = _reread(task)
    assert (task.percent_complete, task.version) == (100, 1)


def test_correcting_a_check_in_above_100_percent_is_refused_and_changes_nothing(department):
    task, _older, latest = _task_with_two_check_ins(department)
    with pytest.raises(ValidationError) as error:
        check_in_update(check_in=latest, percent_complete=101)
    assert "percent_complete" in error.value.message_dict
    assert _reread(latest).percent_complete == 60
    assert _reread(task).percent_complete == 60


# check_in_delete


def test_deleting_the_latest_check_in_makes_the_task_follow_the_one_before(department):
    task, older, latest = _task_with_two_check_ins(department)
    check_in_delete(check_in=latest)
    assert list(CheckIn.objects.all()) == [older]
    assert _reread(task).percent_complete == 30


def test_deleting_an_older_check_in_leaves_the_tasks_percent(department):
    task, older, _latest = _task_with_two_check_ins(department)
    check_in_delete(check_in=older)
    task = _reread(task)
    assert (task.percent_complete, task.version) == (60, 1)


def test_deleting_the_only_check_in_leaves_the_tasks_percent_as_it_was(department):
    task = factories.TaskFactory(department=department, percent_complete=60)
    check_in = factories.CheckInFactory(task=task, percent_complete=60)
    check_in_delete(check_in=check_in)
    assert not CheckIn.objects.exists()
    task = _reread(task)
    assert (task.percent_complete, task.version) == (60, 1)


def test_deleting_a_check_in_of_a_done_task_keeps_the_task_at_100_percent(department):
    task = factories.TaskFactory(department=department, status=Task.Status.DONE, percent_complete=100)
    factories.CheckInFactory(task=task, date=dt.date(2026, 5, 18), percent_complete=80)
    latest = factories.CheckInFactory(task=task, date=dt.date(2026, 5, 19), percent_complete=100)
    check_in_delete(check_in=latest)
    assert _reread(task).percent_complete == 100


# initiative_create and initiative_update


def _initiative_fields(owner, **overrides):
    return {
        "roadmap": factories.RoadmapFactory(),
        "title": "Onboard in half the time",
        "outcome": "Customers are live within two weeks.",
        "owner": owner,
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        **overrides,
    }


def test_creating_an_initiative_sets_department_budgets_and_metrics(cco_staff, department, other_department):
    metrics = factories.MetricFactory.create_batch(2)
    initiative = initiative_create(
        departments={department: Decimal("2500.00"), other_department: Decimal("0")},
        metrics=metrics,
        **_initiative_fields(cco_staff),
    )
    initiative = _reread(initiative)
    assert {(link.department, link.budget) for link in initiative.department_links.all()} == {
        (department, Decimal("2500.00")),
        (other_department, Decimal("0")),
    }
    assert set(initiative.metrics.all()) == set(metrics)
    assert (initiative.title, initiative.version) == ("Onboard in half the time", 1)


def test_an_initiative_ending_before_it_starts_is_refused_and_saves_nothing(cco_staff, department):
    fields = _initiative_fields(cco_staff, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 5, 31))
    with pytest.raises(ValidationError) as error:
        initiative_create(departments={department: Decimal("100")}, metrics=[factories.MetricFactory()], **fields)
    assert "The initiative must end on or after its start." in error.value.messages
    assert not Initiative.objects.exists()
    assert not department.initiative_links.exists()


def test_a_second_initiative_with_the_same_title_on_a_roadmap_is_refused(cco_staff):
    first = initiative_create(**_initiative_fields(cco_staff))
    with pytest.raises(ValidationError) as error:
        initiative_create(**_initiative_fields(cco_staff, roadmap=first.roadmap))
    assert "This roadmap already has an initiative with this title." in error.value.messages
    assert list(Initiative.objects.all()) == [first]


def test_updating_an_initiative_saves_the_change_and_increments_its_version():
    initiative = factories.InitiativeFactory(title="Old title")
    initiative = initiative_update(initiative=initiative, expected_version=1, title="New title", health="amber")
    initiative = _reread(initiative)
    assert (initiative.title, initiative.health, initiative.version) == ("New title", "amber", 2)


def test_updating_an_initiative_from_a_stale_version_raises_and_changes_nothing():
    initiative = factories.InitiativeFactory(title="Old title")
    initiative_update(initiative=initiative, title="Someone else's title")
    with pytest.raises(StaleVersionError):
        initiative_update(initiative=initiative, expected_version=1, title="My title")
    initiative = _reread(initiative)
    assert (initiative.title, initiative.version) == ("Someone else's title", 2)


def test_updating_an_initiative_to_end_before_it_starts_is_refused_and_changes_nothing():
    initiative = factories.InitiativeFactory(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        initiative_update(initiative=initiative, title="Renamed", end_date=dt.date(2025, 12, 31))
    assert "The initiative must end on or after its start." in error.value.messages
    initiative = _reread(initiative)
    assert (initiative.end_date, initiative.version) == (dt.date(2026, 12, 31), 1)
    assert initiative.title != "Renamed"


# task_dependencies_validate (the admin forms' check)


def test_a_new_task_without_a_primary_key_passes_the_dependency_check(initiative, department):
    existing = factories.TaskFactory(initiative=initiative, department=department)
    new = factories.TaskFactory.build(initiative=initiative, department=department)
    assert new.pk is None
    task_dependencies_validate(task=new, depends_on=[existing])


def test_the_dependency_check_refuses_a_task_depending_on_itself(department):
    task = factories.TaskFactory(department=department)
    with pytest.raises(ValidationError) as error:
        task_dependencies_validate(task=task, depends_on=[task])
    assert error.value.message_dict == {"depends_on": [DEPENDENCY_SELF]}


def test_the_dependency_check_refuses_a_cycle_and_writes_nothing(initiative, department):
    a = factories.TaskFactory(initiative=initiative, department=department, title="A")
    b = task_create(**_task_fields(initiative, department, title="B"), depends_on=[a])
    with pytest.raises(ValidationError) as error:
        task_dependencies_validate(task=a, depends_on=[b])
    assert error.value.message_dict == {"depends_on": ["These dependencies would make a cycle: A → B → A."]}
    assert not _reread(a).depends_on.exists()


def test_two_dependencies_sharing_a_dependency_are_not_a_cycle(initiative, department):
    shared = factories.TaskFactory(initiative=initiative, department=department)
    left = task_create(**_task_fields(initiative, department, title="Left"), depends_on=[shared])
    right = task_create(**_task_fields(initiative, department, title="Right"), depends_on=[shared])
    top = factories.TaskFactory(initiative=initiative, department=department)
    task_dependencies_validate(task=top, depends_on=[left, right])
