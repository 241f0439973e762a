"""Importing tasks, readings, customer movements and task-force meetings from CSV or XLSX: a dry run, then all
or nothing.

The file is checked as a whole first (encoding, format, columns); then every row runs through
its django-import-export Resource inside one transaction, which is rolled back on a dry run
or when any row fails, so a file is imported completely or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from core.resources import CreateOnlyResource
from customers.resources import MovementResource, ReadingResource
from org.selectors import UserLike, user_headed_department_ids, user_is_cco_staff
from roadmap.case_resources import ExpectationResource
from roadmap.meeting_resources import MeetingResource
from roadmap.resources import TaskResource

KINDS: dict[str, tuple[str, type[CreateOnlyResource]]] = {
    "tasks": ("Tasks", TaskResource),
    "readings": ("Metric readings", ReadingResource),
    "movements": ("Customer movements", MovementResource),
    "expectations": ("Customer case: expected metric values", ExpectationResource),
    "meetings": ("Task-force meetings", MeetingResource),
}
BAD_ENCODING = "The file is not UTF-8 text (byte {position} is not valid UTF-8); save it as CSV UTF-8 and try again."
BAD_FORMAT = "The file could not be read as {fmt}: {error}"
BAD_EXTENSION = "Upload a .csv or .xlsx file."
EMPTY_FILE = "The file has no rows below its header."
MISSING_COLUMNS = "Missing column(s): {missing}. The columns are: {expected}."
UNKNOWN_COLUMNS = "Unknown column(s): {unknown}. The columns are: {expected}."
UNKNOWN_KIND = "Unknown import {kind!r}; choose one of: {kinds}."
NOT_ALLOWED = "Only CCO staff and department heads import data."
STAFF_ONLY = "Only CCO staff import {label}."
NOTHING_IMPORTED = "Nothing was imported: fix the rows below and upload the file again."


class ImportRefused(Exception):
    """The file as a whole cannot be imported (encoding, format, columns, rights)."""


@dataclass
class RowReport:
    line: int  # line in the file: the header is line 1, the first row line 2
    ok: bool
    messages: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    kind: str
    rows: list[RowReport]
    committed: bool

    @property
    def errors(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]


def user_may_import(*, user: UserLike) -> bool:
    return user_is_cco_staff(user=user) or bool(user_headed_department_ids(user=user))


def _dataset(*, filename: str, content: bytes) -> tablib.Dataset:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(content, format="xlsx")
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportRefused(BAD_FORMAT.format(fmt="XLSX", error=exc)) from None
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(BAD_ENCODING.format(position=exc.start + 1)) from None
        try:
            dataset = tablib.Dataset().load(text, format="csv")
        except Exception as exc:  # tablib wraps csv errors in several types
            raise ImportRefused(BAD_FORMAT.format(fmt="CSV", error=exc)) from None
    else:
        raise ImportRefused(BAD_EXTENSION)
    dataset.headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    blank = [i for i, row in enumerate(dataset) if all(v in (None, "") for v in row)]
    for index in reversed(blank):
        del dataset[index]
    return dataset


def _check_columns(*, dataset: tablib.Dataset, resource: CreateOnlyResource) -> None:
    expected = list(resource._meta.fields)
    headers = dataset.headers or []
    missing = [c for c in resource.required if c not in headers]
    unknown = [h for h in headers if h not in expected]
    if missing:
        raise ImportRefused(MISSING_COLUMNS.format(missing=", ".join(missing), expected=", ".join(expected)))
    if unknown:
        raise ImportRefused(UNKNOWN_COLUMNS.format(unknown=", ".join(unknown), expected=", ".join(expected)))
    if not len(dataset):
        raise ImportRefused(EMPTY_FILE)


def _row_report(number: int, row_result, values: dict) -> RowReport:
    report = RowReport(line=number + 1, ok=True, values=values)
    if row_result.validation_error is not None:
        for name, messages in row_result.validation_error.message_dict.items():
            prefix = "" if name == NON_FIELD_ERRORS else f"{name}: "
            report.messages += [f"{prefix}{m}" for m in messages]
    report.messages += [str(e.error) for e in row_result.errors]
    report.ok = not report.messages
    return report


def import_run(*, kind: str, filename: str, content: bytes, user: UserLike, dry_run: bool) -> ImportReport:
    """Check and (unless a dry run) import a file; any bad row means nothing is imported."""
    if kind not in KINDS:
        raise ImportRefused(UNKNOWN_KIND.format(kind=kind, kinds=", ".join(KINDS)))
    if not user_may_import(user=user):
        raise ImportRefused(NOT_ALLOWED)
    label, resource_class = KINDS[kind]
    if getattr(resource_class, "staff_only", False) and not user_is_cco_staff(user=user):
        raise ImportRefused(STAFF_ONLY.format(label=label.lower()))
    resource = resource_class(user=user)
    dataset = _dataset(filename=filename, content=content)
    _check_columns(dataset=dataset, resource=resource)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        rows = [
            _row_report(i, r, dict(zip(dataset.headers, dataset[i - 1], strict=True)))
            for i, r in enumerate(result.rows, start=1)
        ]
        rows += [RowReport(line=0, ok=False, messages=[str(e.error)]) for e in result.base_errors]
        ok = all(r.ok for r in rows)
        if dry_run or not ok:
            transaction.set_rollback(True)  # all or nothing, whatever the library did per row
    return ImportReport(kind=kind, rows=rows, committed=ok and not dry_run)
