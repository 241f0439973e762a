"""The benchmark's yardstick: the scorecard aggregates as hand-written SQL, one query per part
(delivery, metrics, growth) per scope (company, department, owner; metrics and growth are not
measured per owner), 7 queries in all. Dates are compared in the organisation's time zone,
as the engine does.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

DELIVERY = """
SELECT {group} AS subject, COUNT(*) AS due,
  SUM(CASE WHEN t.status = 'done' AND {done_on} <= t.due_date THEN 1 ELSE 0 END) AS on_time,
  SUM(CASE WHEN t.status = 'done' AND {done_on} > t.due_date THEN 1 ELSE 0 END) AS late,
  SUM(CASE WHEN t.status <> 'done' AND t.due_date < %s THEN 1 ELSE 0 END) AS overdue,
  SUM(CASE WHEN t.status <> 'done' AND t.due_date < %s THEN {days_late} ELSE 0 END) AS overdue_days,
  SUM(CASE WHEN t.status = 'blocked' THEN 1 ELSE 0 END) AS blocked,
  SUM(CASE WHEN t.status = 'in_progress'
      AND NOT EXISTS (SELECT 1 FROM roadmap_checkin c WHERE c.task_id = t.id AND c.date > %s)
      AND (t.status_changed_at IS NULL OR t.status_changed_at < %s) THEN 1 ELSE 0 END) AS stale
FROM roadmap_task t
WHERE t.due_date >= %s AND t.due_date <= %s AND t.status <> 'cancelled' {where}
{group_by}
"""

METRICS = """
SELECT r.metric_id, {department} AS department_id, SUM(r.value) AS total, COUNT(*) AS n, NULL AS last_value
FROM customers_reading r JOIN customers_metric m ON m.id = r.metric_id
WHERE m.active AND r.date >= %s AND r.date <= %s
GROUP BY r.metric_id {group_department}
UNION ALL
SELECT metric_id, {department_x}, NULL, NULL, SUM(value) FROM (
  SELECT r.metric_id, r.department_id, r.value,
    ROW_NUMBER() OVER (PARTITION BY r.metric_id, r.department_id ORDER BY r.date DESC, r.id DESC) AS rn
  FROM customers_reading r JOIN customers_metric m ON m.id = r.metric_id
  WHERE m.active AND m.aggregation = 'last' AND r.date >= %s AND r.date <= %s
) x WHERE rn = 1
GROUP BY metric_id {group_department_x}
"""

GROWTH = """
SELECT 'moved' AS row_kind, {department} AS department_id, mv.kind, s.name AS segment, lr.name AS reason,
  SUM(mv.count) AS n, SUM(mv.revenue) AS revenue, SUM(mv.profit) AS profit, NULL AS customers
FROM customers_customermovement mv
  JOIN customers_customersegment s ON s.id = mv.segment_id
  LEFT JOIN customers_lossreason lr ON lr.id = mv.loss_reason_id
WHERE mv.date >= %s AND mv.date <= %s {where}
GROUP BY mv.kind, s.name, lr.name {group_department}
UNION ALL
SELECT 'start', {department_x}, NULL, NULL, NULL, NULL, NULL, NULL, SUM(value) FROM (
  SELECT r.department_id, r.value,
    ROW_NUMBER() OVER (PARTITION BY r.department_id ORDER BY r.date DESC, r.id DESC) AS rn
  FROM customers_reading r JOIN customers_metric m ON m.id = r.metric_id
  WHERE m.code = 'customers' AND r.segment_id IS NULL AND r.date <= %s
) x WHERE rn = 1 {group_department_x}
"""


def _vendor_bits(today: dt.date) -> dict:
    tz = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return {"done_on": f"(t.completed_at AT TIME ZONE '{tz}')::date", "days_late": "(%s::date - t.due_date)"}
    return {
        "done_on": f"django_datetime_cast_date(t.completed_at, '{tz}', 'UTC')",
        "days_late": "(julianday(%s) - julianday(t.due_date))",
    }


def sql_queries(*, start: dt.date, end: dt.date, now: dt.datetime, stale_days: int = 14) -> list[tuple[str, list]]:
    """The 7 statements with their parameters."""
    ops = connection.ops
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    cutoff = today - dt.timedelta(days=stale_days)
    cutoff_moment = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    d = ops.adapt_datefield_value
    bits = _vendor_bits(today)
    delivery_params = [
        d(today),
        d(today),
        d(today),
        d(cutoff),
        ops.adapt_datetimefield_value(cutoff_moment),
        d(start),
        d(end),
    ]
    queries = []
    for group, where in (("NULL", ""), ("t.department_id", ""), ("t.owner_id", "AND t.owner_id IS NOT NULL")):
        group_by = "" if group == "NULL" else f"GROUP BY {group}"
        sql = DELIVERY.format(group=group, where=where, group_by=group_by, **bits)
        queries.append((sql, delivery_params))
    for per_department in (False, True):
        names = {
            "department": "r.department_id" if per_department else "NULL",
            "group_department": ", r.department_id" if per_department else "",
            "department_x": "department_id" if per_department else "NULL",
            "group_department_x": ", department_id" if per_department else "",
        }
        queries.append((METRICS.format(**names), [d(start), d(end), d(start), d(end)]))
        growth_names = {
            "department": "mv.department_id" if per_department else "NULL",
            "group_department": ", mv.department_id" if per_department else "",
            "where": "AND mv.department_id IS NOT NULL" if per_department else "",
            "department_x": "department_id" if per_department else "NULL",
            "group_department_x": "GROUP BY department_id" if per_department else "",
        }
        queries.append((GROWTH.format(**growth_names), [d(start), d(end), d(start)]))
    return queries


def sql_run(queries: list[tuple[str, list]]) -> int:
    """Run every statement and fetch every row; returns the number of rows."""
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


def snapshot_rows(*, period_kind: str, period_start: dt.date) -> dict:
    """The period's snapshots and lines as the engine wrote them, ready to write again as plain SQL.

    Taken after the engine ran, outside the timing: the SQL side is given its values and only
    reads (the 7 statements) and writes (the same rows), with no Python logic in between.
    """
    from accountability.models import Scorecard, ScorecardLine

    def prepared(model, queryset, with_pk: bool):
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in queryset]
        return [f.column for f in fields], rows

    cards = Scorecard.objects.filter(period_kind=period_kind, period_start=period_start).order_by("pk")
    lines = ScorecardLine.objects.filter(scorecard__in=cards).order_by("pk")
    return {
        "period": (period_kind, connection.ops.adapt_datefield_value(period_start)),
        "scorecards": prepared(Scorecard, cards, with_pk=True),
        "lines": prepared(ScorecardLine, lines, with_pk=False),
    }


def sql_write(rows: dict) -> int:
    """Replace the period's snapshots and lines with the given rows, as the engine does; returns rows written."""
    from django.db import transaction

    from accountability.models import Scorecard, ScorecardLine

    qn = connection.ops.quote_name
    cards, lines = Scorecard._meta.db_table, ScorecardLine._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        kind, start = rows["period"]
        period = f"SELECT id FROM {qn(cards)} WHERE period_kind = %s AND period_start = %s"
        cursor.execute(f"DELETE FROM {qn(lines)} WHERE scorecard_id IN ({period})", [kind, start])
        cursor.execute(f"DELETE FROM {qn(cards)} WHERE period_kind = %s AND period_start = %s", [kind, start])
        for table, (columns, values) in ((cards, rows["scorecards"]), (lines, rows["lines"])):
            names = ", ".join(qn(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", values)
    return len(rows["scorecards"][1]) + len(rows["lines"][1])
