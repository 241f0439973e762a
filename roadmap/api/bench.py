"""Yardsticks for bench/api.py, mounted only when BENCH_BARE_VIEW=1 and token-authenticated like the
API, so that the comparison is fair: the API's rows from .values() without DRF (`bare_tasks`), and
the same page from raw SQL and json.dumps (`raw_tasks`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from org.api_keys import api_key_authenticate
from roadmap.models import Task
from roadmap.selectors import task_list

FIELDS = ["id", "initiative_id", "department_id", "title", "description", "owner_id", "due_date"]
FIELDS += ["promised_date", "slip_count"]  # the API shows the promise and its slips too
FIELDS += ["allow_outside_initiative_dates", "status", "status_changed_at", "percent_complete"]
FIELDS += ["completed_at", "version", "created_at", "updated_at"]


def bare_tasks(request: HttpRequest) -> JsonResponse:
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    token = api_key_authenticate(key=key)
    if token is None:
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    size = min(int(request.GET.get("page_size", 50)), 500)
    tasks = task_list(user=token.user).filter(department_id=int(request.GET["department"]))
    rows = list(tasks.values(*FIELDS)[:size])
    through = Task.depends_on.through.objects.filter(from_task_id__in=[r["id"] for r in rows])
    depends: dict[int, list[int]] = {}
    for source, target in through.values_list("from_task_id", "to_task_id"):
        depends.setdefault(source, []).append(target)
    for row in rows:
        row["depends_on"] = depends.get(row["id"], [])
    return JsonResponse({"count": tasks.count(), "results": rows})


# The yardstick of bench/api.py: the same page as the API (same rows, fields, order, visibility
# and token check) with raw SQL and json.dumps, and nothing else: no ORM, no DRF. Its answer is
# the API's, byte for byte but for its own address in the `next` link (bench/api.py checks it):
# datetimes in the current time zone to the microsecond, UTC as Z, as DRF writes them (with
# `astimezone` and `isoformat`, the plain way), and DRF's compact UTF-8 JSON.
RAW_USER = """SELECT u.id, u.is_superuser, EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g
  ON g.id = ug.group_id WHERE ug.user_id = u.id AND g.name IN (%s, %s))
FROM org_apikey k JOIN auth_user u ON u.id = k.user_id
WHERE k.digest = %s AND k.expires_at > CURRENT_TIMESTAMP AND u.is_active"""
RAW_VISIBLE = """ AND (t.department_id IN (SELECT id FROM org_department WHERE head_id = %s
  UNION SELECT department_id FROM org_department_members WHERE user_id = %s) OR t.owner_id = %s)"""
RAW_COLUMNS = ", ".join(f"t.{name}" for name in FIELDS)


def _datetime_text(value: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    if value is None:
        return None
    text = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _task(row: tuple, depends_on: list[int], zone: dt.tzinfo) -> dict:
    """A row of FIELDS as the API writes it: its names ("initiative", not "initiative_id"), order and texts."""
    (pk, initiative, department, title, description, owner, due, promised, slips, outside, status) = row[:11]
    (status_changed_at, percent, completed_at, version, created_at, updated_at) = row[11:]
    return {
        "id": pk,
        "initiative": initiative,
        "department": department,
        "title": title,
        "description": description,
        "owner": owner,
        "due_date": due and due.isoformat(),
        "promised_date": promised and promised.isoformat(),
        "slip_count": slips,
        "allow_outside_initiative_dates": outside,
        "status": status,
        "status_changed_at": _datetime_text(status_changed_at, zone),
        "percent_complete": percent,
        "completed_at": _datetime_text(completed_at, zone),
        "depends_on": depends_on,
        "version": version,
        "created_at": _datetime_text(created_at, zone),
        "updated_at": _datetime_text(updated_at, zone),
    }


def _next_link(request: HttpRequest, count: int, size: int) -> str | None:
    if count <= size:
        return None
    query = sorted({**{key: request.GET.getlist(key) for key in request.GET}, "page": ["2"]}.items())
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


def raw_tasks(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    from org.roles import CCO_STAFF, EXECUTIVES

    key = request.headers.get("Authorization", "").removeprefix("Token ")
    size = min(int(request.GET.get("page_size", 50)), 500)
    department = int(request.GET["department"])
    with connection.cursor() as cursor:
        cursor.execute(RAW_USER, [CCO_STAFF, EXECUTIVES, hashlib.sha256(key.encode()).hexdigest()])
        user = cursor.fetchone()
        if user is None:
            return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
        user_id, superuser, sees_all = user
        where, params = ("", []) if superuser or sees_all else (RAW_VISIBLE, [user_id] * 3)
        base = f"FROM roadmap_task t WHERE t.department_id = %s{where}"
        cursor.execute(f"SELECT COUNT(*) {base}", [department, *params])
        (count,) = cursor.fetchone()
        cursor.execute(f"SELECT {RAW_COLUMNS} {base} ORDER BY t.due_date, t.id LIMIT %s", [department, *params, size])
        rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        depends: dict[int, list[int]] = {}
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            depends_sql = "SELECT from_task_id, to_task_id FROM roadmap_task_depends_on WHERE from_task_id IN ({})"
            cursor.execute(depends_sql.format(marks) + " ORDER BY to_task_id", ids)
            for source, target in cursor.fetchall():
                depends.setdefault(source, []).append(target)
    zone = timezone.get_current_timezone()
    results = [_task(row, depends.get(row[0], []), zone) for row in rows]
    body = {"count": count, "next": _next_link(request, count, size), "previous": None, "results": results}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))  # as DRF's renderer, with its escapes
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return HttpResponse(text.encode(), content_type="application/json")
