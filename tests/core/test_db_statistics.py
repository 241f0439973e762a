"""manage.py analyze_database gathers the planner's statistics (core.db_statistics), on either database.

SQLite keeps them in `sqlite_stat1` (none until ANALYZE runs), PostgreSQL in `pg_stats`.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests import factories

pytestmark = pytest.mark.django_db


def _statistics(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchall():
                return 0
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone()[0]


def statistics_of_movements() -> int:
    return _statistics("customers_customermovement")


def test_analyze_database_gathers_the_statistics_of_the_tables():
    factories.CustomerMovementFactory.create_batch(3, kind="lost")
    out = StringIO()
    call_command("analyze_database", stdout=out)
    assert statistics_of_movements() > 0
    assert f"Planner statistics refreshed ({connection.vendor})" in out.getvalue()
