"""One writer process of the SQLite concurrency test (run as `python -m tests.sqlite_writer`).

It sets Django up, says it is ready, waits for the start signal so that every writer starts at
once, then writes check-ins and readings through the services, each pair in one transaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("writer", "writes", "task", "metric", "department"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--signals", type=Path, required=True, help="folder of the ready and go files")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cco.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from customers.models import Metric
    from customers.services import reading_create
    from org.models import Department
    from roadmap.models import Task
    from roadmap.services import check_in_create

    task, metric = Task.objects.select_related("owner").get(pk=args.task), Metric.objects.get(pk=args.metric)
    department = Department.objects.get(pk=args.department)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    (args.signals / f"ready-{args.writer}").write_text(mode)
    while not (args.signals / "go").exists():
        time.sleep(0.05)
    for n in range(args.writes):
        with transaction.atomic():
            check_in_create(task=task, author=task.owner, percent_complete=n, note=f"writer {args.writer} write {n}")
            reading_create(
                metric=metric,
                department=department,
                date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
                value=Decimal(args.writer),
                source=f"writer-{args.writer}",
            )


if __name__ == "__main__":
    main()
