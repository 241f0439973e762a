"""Task lists as CSV and XLSX, for whatever tasks the caller's selector allowed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from roadmap.models import Task

CHUNK_ROWS = 500  # rows per chunk of a streamed CSV
TASK_COLUMNS = (
    "id",
    "title",
    "initiative",
    "department",
    "owner",
    "due_date",
    "status",
    "percent_complete",
    "completed_at",
)


def _task_row(task: Task) -> list:
    return [
        task.pk,
        task.title,
        task.initiative.title,
        task.department.slug,
        task.owner.username if task.owner else "",
        task.due_date.isoformat(),
        task.status,
        task.percent_complete,
        # ISO like the due date, in the organisation's time zone, to the minute.
        timezone.localtime(task.completed_at).isoformat(timespec="minutes") if task.completed_at else "",
    ]


def tasks_csv(*, tasks: Iterable[Task]) -> Iterator[bytes]:
    """The CSV in chunks of CHUNK_ROWS rows, to stream: memory stays flat however many tasks there are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TASK_COLUMNS)
    for count, task in enumerate(tasks, start=1):
        writer.writerow(_task_row(task))
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def tasks_xlsx(*, tasks: Iterable[Task], into: BinaryIO) -> None:
    """Write the workbook into a file: openpyxl's write-only mode keeps rows on disk, not in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tasks")
    for index, width in enumerate((8, 40, 30, 16, 16, 12, 12, 10, 28), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(TASK_COLUMNS)
    for task in tasks:
        sheet.append(_task_row(task))
    workbook.save(into)
