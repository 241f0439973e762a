"""A bare task list for bench/api.py: the API's rows from .values(), without DRF. Mounted only when
BENCH_BARE_VIEW=1, and token-authenticated like the API, so that the comparison is fair."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from org.api_keys import api_key_authenticate
from roadmap.models import Task
from roadmap.selectors import task_list

FIELDS = ["id", "initiative_id", "department_id", "title", "description", "owner_id", "due_date"]
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
