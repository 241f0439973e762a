"""django-import-export Resource for importing tasks (the shared widgets: `core.resources`).

Rows are only ever created, through the services (the one door for writes); people and
things are named by slug or username, and every problem becomes a message naming the column.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from import_export import widgets

from core.resources import UNKNOWN, ChoiceWidget, CreateOnlyResource, IsoDateWidget, KeyWidget, field
from org.models import Department
from org.selectors import user_headed_department_ids, user_is_cco_staff
from roadmap import services
from roadmap.models import Initiative, Roadmap, Task

AMBIGUOUS_INITIATIVE = "More than one initiative is called {value!r}; write its id instead."


class InitiativeWidget(widgets.Widget):
    """An initiative by id or by title (the active roadmap's when titles repeat across roadmaps)."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Initiative | None:
        value = str(value or "").strip()
        if not value:
            return None
        if value.isdigit() and (found := Initiative.objects.filter(pk=int(value)).first()):
            return found
        matches = list(Initiative.objects.filter(title=value).select_related("roadmap"))
        active = [i for i in matches if i.roadmap.status == Roadmap.Status.ACTIVE]
        if len(matches) == 1 or len(active) == 1:
            return (active or matches)[0]
        if not matches:
            raise ValueError(UNKNOWN.format(what="initiative", key="title or id", value=value))
        raise ValueError(AMBIGUOUS_INITIATIVE.format(value=value))


class TaskResource(CreateOnlyResource):
    """Columns: title, initiative, department, due_date (required); owner, status, description, percent_complete."""

    required = ("title", "initiative", "department", "due_date")
    title = field("title")
    initiative = field("initiative", InitiativeWidget())
    department = field("department", KeyWidget(Department, "slug", "department"))
    owner = field("owner", KeyWidget(get_user_model(), "username", "user"))
    due_date = field("due_date", IsoDateWidget())
    status = field("status", ChoiceWidget(Task.Status, default=Task.Status.NOT_STARTED))
    description = field("description")
    percent_complete = field("percent_complete", widgets.IntegerWidget())

    class Meta:
        model = Task
        fields = ("title", "initiative", "department", "owner", "due_date", "status", "description", "percent_complete")
        force_init_instance = True
        skip_diff = True

    def import_instance(self, instance: Task, row: dict, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        instance.percent_complete = instance.percent_complete or 0
        if instance.status == Task.Status.DONE:
            instance.completed_at = timezone.now()  # the model requires it; the service sets it too

    def may_import(self, instance: Task) -> bool:
        if user_is_cco_staff(user=self.user) or not instance.department_id:
            return True
        return instance.department_id in user_headed_department_ids(user=self.user)

    def create(self, instance: Task) -> Task:
        names = ("initiative", "department", "title", "owner", "due_date", "status", "description", "percent_complete")
        return services.task_create(**{name: getattr(instance, name) for name in names})
