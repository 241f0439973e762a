"""Bad input through the accountability admin is a form error naming the field; nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accountability.models import Recognition
from accountability.recognition.admin import RECOGNITION_NOT_SELF
from customers.admin.metrics import DATA_COMPANY_NOT_YOURS
from customers.admin.movements import LOSS_NEEDS_REASON
from customers.models import CustomerMovement, Metric, Reading, Target
from customers.services import target_update
from tests import factories
from tests.admin_world import form_data

pytestmark = pytest.mark.django_db

MOVEMENT_ADD = reverse("admin:customers_customermovement_add")
READING_ADD = reverse("admin:customers_reading_add")
TARGET_ADD = reverse("admin:customers_target_add")


def post(client, url, **values):
    """POST the admin form at `url` with these values: (status code, form errors)."""
    response = client.post(url, form_data(client.get(url), **values))
    errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
    return response.status_code, errors


def movement_values(segment, department, **changes):
    values = {"date": "2026-02-01", "kind": "gained", "segment": segment.pk, "department": department.pk}
    return {**values, "count": "3", "revenue": "1000", "profit": "100", **changes}


def test_a_negative_customer_count_is_an_error_on_count_and_nothing_is_saved(client, cco_staff, department):
    client.force_login(cco_staff)
    segment = factories.CustomerSegmentFactory()
    status, errors = post(client, MOVEMENT_ADD, **movement_values(segment, department, count="-2"))
    assert status == 200 and "count" in errors
    assert not CustomerMovement.objects.exists()


def test_a_loss_without_a_reason_is_an_error_on_loss_reason(client, cco_staff, department):
    client.force_login(cco_staff)
    segment = factories.CustomerSegmentFactory()
    status, errors = post(client, MOVEMENT_ADD, **movement_values(segment, department, kind="lost"))
    assert status == 200
    assert errors["loss_reason"] == [LOSS_NEEDS_REASON]
    assert not CustomerMovement.objects.exists()


def test_a_head_records_a_loss_for_their_department_through_the_service(client, head, department):
    client.force_login(head)
    segment, reason = factories.CustomerSegmentFactory(), factories.LossReasonFactory()
    values = movement_values(segment, department, kind="lost", loss_reason=reason.pk)
    status, _ = post(client, MOVEMENT_ADD, **values)
    assert status == 302
    movement = CustomerMovement.objects.get()
    assert movement.entered_by == head and movement.loss_reason == reason


def test_a_head_cannot_record_movements_for_another_department(client, head, other_department):
    client.force_login(head)
    segment = factories.CustomerSegmentFactory()
    status, errors = post(client, MOVEMENT_ADD, **movement_values(segment, other_department))
    assert status == 200
    assert "department" in errors
    assert not CustomerMovement.objects.exists()


@pytest.mark.parametrize(
    ("direction", "target", "amber"),
    [("higher", "80", "85"), ("higher", "80", "80"), ("lower", "5", "4")],
)
def test_thresholds_that_contradict_the_direction_are_an_error_on_amber_threshold(
    client, cco_staff, direction, target, amber
):
    client.force_login(cco_staff)
    metric = factories.MetricFactory(direction=direction)
    values = {"metric": metric.pk, "period_kind": "quarter", "period_start": "2026-01-01"}
    status, errors = post(client, TARGET_ADD, **values, target_value=target, amber_threshold=amber)
    assert status == 200
    assert "amber_threshold" in errors
    assert not Target.objects.exists()


def test_changing_a_target_into_contradicting_thresholds_changes_nothing(client, cco_staff):
    target = factories.TargetFactory(target_value=80, amber_threshold=70)
    client.force_login(cco_staff)
    url = reverse("admin:customers_target_change", args=[target.pk])
    status, errors = post(client, url, amber_threshold="90")
    assert status == 200
    assert "amber_threshold" in errors
    target.refresh_from_db()
    assert target.amber_threshold == 70 and target.version == 1


def test_a_good_target_change_goes_through_the_service(client, cco_staff):
    target = factories.TargetFactory(target_value=80, amber_threshold=70)
    client.force_login(cco_staff)
    url = reverse("admin:customers_target_change", args=[target.pk])
    status, _ = post(client, url, amber_threshold="75")
    assert status == 302
    target.refresh_from_db()
    assert target.amber_threshold == 75 and target.version == 2


def test_a_reading_with_a_department_for_a_company_metric_is_an_error_on_department(client, cco_staff, department):
    client.force_login(cco_staff)
    metric = factories.MetricFactory(level=Metric.Level.COMPANY)
    values = {"metric": metric.pk, "department": department.pk, "date": "2026-02-01", "value": "1000"}
    status, errors = post(client, READING_ADD, **values)
    assert status == 200
    assert "company-level metric" in errors["department"][0]
    assert not Reading.objects.exists()


def test_a_reading_without_a_department_for_a_department_metric_is_an_error_on_department(client, cco_staff):
    client.force_login(cco_staff)
    metric = factories.MetricFactory(level=Metric.Level.DEPARTMENT)
    status, errors = post(client, READING_ADD, metric=metric.pk, department="", date="2026-02-01", value="70")
    assert status == 200
    assert "department-level metric" in errors["department"][0]
    assert not Reading.objects.exists()


def test_a_head_cannot_enter_a_company_reading(client, head):
    client.force_login(head)
    metric = factories.MetricFactory(level=Metric.Level.COMPANY)
    status, errors = post(client, READING_ADD, metric=metric.pk, department="", date="2026-02-01", value="1000")
    assert status == 200
    assert errors["department"] == [DATA_COMPANY_NOT_YOURS]
    assert not Reading.objects.exists()


def test_a_head_cannot_enter_a_reading_for_another_department(client, head, other_department):
    client.force_login(head)
    metric = factories.MetricFactory()
    values = {"metric": metric.pk, "department": other_department.pk, "date": "2026-02-01", "value": "70"}
    status, errors = post(client, READING_ADD, **values)
    assert status == 200
    assert "department" in errors
    assert not Reading.objects.exists()


def test_a_head_enters_a_reading_for_their_department(client, head, department):
    client.force_login(head)
    metric = factories.MetricFactory()
    values = {"metric": metric.pk, "department": department.pk, "date": "2026-02-01", "value": "70"}
    status, _ = post(client, READING_ADD, **values)
    assert status == 302
    reading = Reading.objects.get()
    assert reading.entered_by == head and reading.history.get().history_user == head


def test_recognising_yourself_is_an_error_on_recipient(client, owner, department):
    client.force_login(owner)
    task = factories.TaskFactory(department=department, owner=owner)
    url = reverse("admin:accountability_recognition_add")
    status, errors = post(client, url, recipient=owner.pk, task=task.pk, note="Me!")
    assert status == 200
    assert errors["recipient"] == [RECOGNITION_NOT_SELF]
    assert not Recognition.objects.exists()


def test_an_owner_recognises_a_colleague(client, owner, head, department):
    client.force_login(owner)
    task = factories.TaskFactory(department=department, owner=owner)
    url = reverse("admin:accountability_recognition_add")
    status, _ = post(client, url, recipient=head.pk, task=task.pk, note="Saved a strategic account")
    assert status == 302
    assert Recognition.objects.get().giver == owner


def test_a_target_changed_by_someone_else_since_the_form_opened_is_not_overwritten(client, cco_staff):
    target = factories.TargetFactory(target_value=80, amber_threshold=70)
    client.force_login(cco_staff)
    url = reverse("admin:customers_target_change", args=[target.pk])
    opened = form_data(client.get(url), amber_threshold="75")
    target_update(target=target, target_value=Decimal("85"))  # a colleague saves first
    response = client.post(url, opened)
    assert response.status_code == 200
    assert "Someone else saved this target since you opened it" in response.content.decode()
    target.refresh_from_db()
    assert (target.target_value, target.amber_threshold, target.version) == (85, 70, 2)
