"""Shared fixtures: one user per role, a department with its head, and an API client."""

import pytest

from tests import factories


def pytest_collection_modifyitems(items):
    """Real workers and the browser are slow tests: bin/test runs the slow group once."""
    for item in items:
        if item.get_closest_marker("worker") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def sent_journal(settings, tmp_path):
    """A folder journal of the test's own (SQLite reuses the ids of rolled-back rows)."""
    settings.REMINDERS_JOURNAL_URL = (tmp_path / "sent-journal").as_uri()
    return tmp_path / "sent-journal"


@pytest.fixture
def department(db):
    return factories.DepartmentFactory(name="Service", slug="service")


@pytest.fixture
def other_department(db):
    return factories.DepartmentFactory(name="Billing", slug="billing")


@pytest.fixture
def cco_staff(db):
    return factories.CCOStaffFactory(username="cco")


@pytest.fixture
def executive(db):
    return factories.ExecutiveFactory(username="exec")


@pytest.fixture
def head(department):
    return department.head


@pytest.fixture
def other_head(other_department):
    return other_department.head


@pytest.fixture
def owner(department):
    user = factories.TaskOwnerFactory(username="owner")
    department.members.add(user)
    return user


# Real broker and Celery processes (see tests/worker.py), and the one shared world (tests/world.py).
from tests.worker import celery_processes, redis_server  # noqa: E402, F401
from tests.world import world  # noqa: E402, F401
