"""The check-in changelist's department filter: every department for those who see every check-in,
read from the departments (no scan of the check-ins); the departments of their check-ins for the rest."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _filter_links(client):
    html = client.get("/admin/roadmap/checkin/").content.decode()
    return set(re.findall(r"\?task__department__id__exact=(\d+)", html))


def test_an_executive_may_filter_by_every_department_even_one_without_check_ins(client, executive, department):
    quiet = factories.DepartmentFactory()
    factories.CheckInFactory(task=factories.TaskFactory(department=department))
    client.force_login(executive)
    assert _filter_links(client) == {str(department.pk), str(quiet.pk)}


def test_a_head_is_offered_only_the_departments_of_the_check_ins_they_see(client, head, department):
    second, other = factories.DepartmentFactory(head=head), factories.DepartmentFactory()
    for each in (department, second, other):
        factories.CheckInFactory(task=factories.TaskFactory(department=each))
    client.force_login(head)
    assert _filter_links(client) == {str(department.pk), str(second.pk)}


def test_an_executives_filter_does_not_read_the_check_ins(client, executive, department, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.CheckInFactory(task=factories.TaskFactory(department=department))
    client.force_login(executive)
    client.get("/admin/roadmap/checkin/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/roadmap/checkin/").status_code == 200
    department_reads = [q["sql"] for q in queries if 'FROM "org_department"' in q["sql"]]
    assert department_reads and not any("roadmap_checkin" in sql for sql in department_reads)
