"""The budget view as CSV: spending by department and purpose, department totals, duplicate spending.

Figures are written by `review.numbers`, as on the page; a byte-order mark lets spreadsheets read
the currency sign as UTF-8.
"""

from __future__ import annotations

import csv
import io

from review import numbers
from roadmap.budget import Budget


def budget_csv(*, budget: Budget) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    period = budget.period
    writer.writerows([["period", period.label], ["from", numbers.day(period.start)], ["to", numbers.day(period.end)]])
    writer.writerow(["total in period", numbers.money(budget.total)])
    writer.writerow([])
    writer.writerow(["department", "in period", "aimed at nothing named"])
    writer.writerows([d.name, numbers.money(total), numbers.money(loose)] for d, total, loose in budget.by_department)
    writer.writerow([])
    writer.writerow(["purpose kind", "purpose", "department", "in period"])
    for matrix in budget.matrices:
        for department, cells, _total in matrix.rows:
            for column, value in zip(matrix.columns, cells, strict=True):
                if value is not None:
                    writer.writerow([matrix.kind, column, department.name, numbers.money(value)])
    writer.writerow([])
    side = ["department", "initiative", "budget", "in period"]
    writer.writerow(
        [
            "duplicate spending: shared",
            *(f"{name} A" for name in side),
            *(f"{name} B" for name in side),
            "combined",
            "overlap from",
            "overlap to",
        ]
    )
    for dup in budget.duplicates:
        cells = [
            (x.line.department.name, x.line.initiative.title, numbers.money(x.line.budget), numbers.money(x.in_period))
            for x in (dup.a, dup.b)
        ]
        ends = [numbers.money(dup.combined), numbers.day(dup.overlap_start), numbers.day(dup.overlap_end)]
        writer.writerow(["; ".join(dup.shared), *cells[0], *cells[1], *ends])
    return buffer.getvalue().encode("utf-8-sig")
