"""Reads of the roadmap, scoped to what a given user may see and change (rules: `org.selectors`).

Anyone who is not CCO staff or an executive sees the tasks (and their check-ins) of the
departments they head or belong to, plus the tasks they own; a head changes the tasks of the
departments they head, an owner changes their own tasks and adds check-ins to them.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from core.choices import only_current, with_current
from customers.models import CustomerSegment, LossReason, Metric
from customers.selectors import LossReasonRow, loss_reasons_ranked
from org.models import Department
from org.selectors import (
    UserLike,
    department_list_changeable,
    user_department_ids,
    user_headed_department_ids,
    user_is_cco_staff,
    user_is_executive,
    user_list_assignable,
    user_list_cco_staff,
    user_sees_everything,
)
from roadmap.models import (
    CheckIn,
    Health,
    Initiative,
    InitiativeDecision,
    InitiativeDepartment,
    Meeting,
    Pledge,
    Roadmap,
    Slip,
    Task,
)


def roadmap_list() -> QuerySet[Roadmap]:
    return Roadmap.objects.all()


def initiative_list() -> QuerySet[Initiative]:
    return Initiative.objects.select_related("roadmap", "owner").prefetch_related("department_links__department")


def initiative_changeable_by(*, initiative: Initiative, user: UserLike) -> bool:
    """CCO staff change every initiative; a head changes the ones they drafted until they are proposed."""
    if user_is_cco_staff(user=user):
        return True
    open_states = (Initiative.Proposal.DRAFT, Initiative.Proposal.SENT_BACK)
    return bool(
        user.is_authenticated
        and initiative.drafted_by_id == user.pk
        and initiative.proposal in open_states
        and user_headed_department_ids(user=user)
    )


def initiative_draftable_by(*, user: UserLike) -> bool:
    """CCO staff and department heads draft initiatives."""
    return user_is_cco_staff(user=user) or bool(user_headed_department_ids(user=user))


def initiative_proposable_by(*, initiative: Initiative, user: UserLike) -> bool:
    """CCO staff propose any initiative; a head proposes the ones they drafted."""
    return initiative_changeable_by(initiative=initiative, user=user)


def initiative_decidable_by(*, user: UserLike) -> bool:
    """Only CCO staff approve a proposal or send it back."""
    return user_is_cco_staff(user=user)


def proposals_waiting(user: UserLike) -> QuerySet[Initiative]:
    """The proposals waiting on CCO staff, oldest first (none for anyone else)."""
    if not initiative_decidable_by(user=user):
        return Initiative.objects.none()
    qs = Initiative.objects.filter(proposal=Initiative.Proposal.PROPOSED)
    return qs.select_related("roadmap", "owner", "drafted_by").order_by("updated_at", "id")


def proposals_sent_back(user: UserLike) -> QuerySet[Initiative]:
    """The initiatives this user proposed that were sent back, each with the latest reason (`sent_back_reason`)."""
    if not (user.is_authenticated and user.is_active):
        return Initiative.objects.none()
    reasons = InitiativeDecision.objects.filter(
        initiative=OuterRef("pk"), action=InitiativeDecision.Action.SENT_BACK
    ).order_by("-at", "-id")
    proposed = InitiativeDecision.objects.filter(action=InitiativeDecision.Action.PROPOSED, by=user)
    qs = Initiative.objects.filter(proposal=Initiative.Proposal.SENT_BACK)
    qs = qs.filter(Q(drafted_by=user) | Q(pk__in=proposed.values("initiative_id")))
    return qs.annotate(sent_back_reason=Subquery(reasons.values("reason")[:1])).order_by("-updated_at", "id")


TOP_LOSS_REASONS = 5  # a reason this high with no active initiative raises an alert


def initiatives_active() -> QuerySet[Initiative]:
    """On the roadmap and under way: approved and active."""
    return Initiative.objects.filter(proposal=Initiative.Proposal.APPROVED, status=Initiative.Status.ACTIVE)


# In trouble: open (planned, active, on hold) and amber or red.
IN_TROUBLE = Q(
    health__in=[Health.RED, Health.AMBER],
    status__in=[Initiative.Status.PLANNED, Initiative.Status.ACTIVE, Initiative.Status.ON_HOLD],
)


def initiatives_in_trouble() -> QuerySet[Initiative]:
    """The initiatives in trouble, worst first: red before amber, then the one ending soonest.

    The dashboard shows the first few; the initiative admin's "in trouble" filter lists them all.
    """
    return Initiative.objects.filter(IN_TROUBLE).order_by("-health", "end_date", "title", "id")  # "red" > "amber"


def loss_reasons_top(*, start: dt.date, end: dt.date, limit: int | None = None) -> list[LossReasonRow]:
    """The reasons customers left in a period, largest first, each with the active initiatives addressing it.

    Three queries whatever the number of reasons and initiatives.
    """
    return loss_reasons_addressed(rows=loss_reasons_ranked(start=start, end=end)[:limit])


def loss_reasons_addressed(*, rows: list[LossReasonRow]) -> list[LossReasonRow]:
    """These ranked reasons, each with the active initiatives addressing it: one query."""
    by_reason = initiatives_addressing(reason_ids=[row.reason.pk for row in rows])
    for row in rows:
        row.initiatives = by_reason.get(row.reason.pk, [])
    return rows


def initiatives_addressing(*, reason_ids: list[int]) -> dict[int, list[Initiative]]:
    """Per loss reason, the active initiatives addressing it, by title: one query."""
    links = Initiative.loss_reasons.through.objects.filter(
        lossreason_id__in=reason_ids, initiative__in=initiatives_active()
    ).select_related("initiative")
    by_reason: dict[int, list[Initiative]] = {}
    for link in links.order_by("initiative__title"):
        by_reason.setdefault(link.lossreason_id, []).append(link.initiative)
    return by_reason


def loss_reasons_unaddressed(*, start: dt.date, end: dt.date) -> list[LossReasonRow]:
    """The top five reasons of a period with no active initiative addressing them."""
    return [row for row in loss_reasons_top(start=start, end=end, limit=TOP_LOSS_REASONS) if not row.initiatives]


def initiative_decisions(*, initiative: Initiative) -> QuerySet[InitiativeDecision]:
    return initiative.decisions.select_related("by", "proposer")


def budget_line_list() -> QuerySet[InitiativeDepartment]:
    """Every department's budget line with what it is for; initiatives (and their money) are read by every role."""
    return InitiativeDepartment.objects.select_related("initiative", "department").prefetch_related(
        "metrics", "loss_reasons", "segments"
    )


def task_list(*, user: UserLike) -> QuerySet[Task]:
    """The tasks this user may see, with what a task list displays joined in."""
    qs = Task.objects.select_related("initiative", "department", "owner")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department_id__in=user_department_ids(user=user)) | Q(owner=user))


def task_list_changeable(*, user: UserLike) -> QuerySet[Task]:
    """The tasks this user may change."""
    qs = task_list(user=user)
    if user_is_cco_staff(user=user):
        return qs
    if user_is_executive(user=user) or not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(department_id__in=user_headed_department_ids(user=user)) | Q(owner=user))


def task_changeable_by(*, task: Task, user: UserLike) -> bool:
    if user_is_cco_staff(user=user):
        return True
    if user_is_executive(user=user) or not (user.is_authenticated and user.is_active):
        return False
    return task.department_id in user_headed_department_ids(user=user) or task.owner_id == user.pk


def check_in_list(*, user: UserLike) -> QuerySet[CheckIn]:
    qs = CheckIn.objects.select_related("task", "task__department", "author")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(task__department_id__in=user_department_ids(user=user)) | Q(task__owner=user))


def check_in_addable_by(*, task: Task, user: UserLike) -> bool:
    """CCO staff, the head of the task's department, and the task's owner add check-ins."""
    return task_changeable_by(task=task, user=user)


def check_in_changeable_by(*, check_in: CheckIn, user: UserLike) -> bool:
    """Check-ins are a record: CCO staff and the head of the department correct them."""
    if user_is_cco_staff(user=user):
        return True
    return check_in.task.department_id in user_headed_department_ids(user=user)


def task_visible_to(*, task: Task, user: UserLike) -> bool:
    """The object-level twin of `task_list`: may this user see this task?"""
    if user_sees_everything(user=user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return task.department_id in user_department_ids(user=user) or task.owner_id == user.pk


def task_dependency_ids(*, task_ids: list[int]) -> dict[int, list[int]]:
    """The ids each of these tasks depends on, in one query (for lists of many tasks).

    Plain SQL over the link table: the ORM's `__in` prepares each of a page's hundred ids on its
    own, which cost more than the query (bench/api_profile.py). The ids are integers, bound as
    parameters."""
    depends: dict[int, list[int]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return depends
    through = Task.depends_on.through._meta
    source, target = through.get_field("from_task").column, through.get_field("to_task").column
    marks = ", ".join(["%s"] * len(task_ids))
    sql = f"SELECT {source}, {target} FROM {through.db_table} WHERE {source} IN ({marks}) ORDER BY {target}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(task_id) for task_id in task_ids])
        for source_id, target_id in cursor.fetchall():
            depends[source_id].append(target_id)
    return depends


# What a user may choose when writing a relation (core/choices.py): the API and the admin apply these.


def task_choices(*, user: UserLike, instance: Task | None) -> dict[str, QuerySet]:
    """CCO staff choose anything; a head puts tasks in the departments they head, owned by their
    departments' active people; a task's owner (not its department's head) moves nothing: the
    initiative, department and owner stay as they are. Hand-offs: any task the user sees."""
    depends_on = with_current(Task.objects.filter(pk__in=task_list(user=user).values("pk")), instance, "depends_on")
    moves = instance is None or user_is_cco_staff(user=user)
    moves = moves or instance.department_id in user_headed_department_ids(user=user)
    if not moves:
        return {
            "initiative": only_current(Initiative, instance, "initiative"),
            "department": only_current(Department, instance, "department"),
            "owner": only_current(get_user_model(), instance, "owner"),
            "depends_on": depends_on,
        }
    return {
        "initiative": with_current(Initiative.objects.all(), instance, "initiative"),
        "department": with_current(department_list_changeable(user=user), instance, "department"),
        "owner": with_current(user_list_assignable(user=user), instance, "owner"),
        "depends_on": depends_on,
    }


def initiative_choices(*, user: UserLike, instance: Initiative | None) -> dict[str, QuerySet]:
    """Whoever drafts an initiative (CCO staff, a head) names any roadmap, department, metric and segment;
    the owner is in the CCO office; the loss reasons addressed are those the CCO office still uses."""
    return {
        "roadmap": Roadmap.objects.all(),
        "owner": with_current(user_list_cco_staff(), instance, "owner"),
        "metrics": Metric.objects.all(),
        "departments.department": Department.objects.all(),
        "loss_reasons": with_current(LossReason.objects.filter(active=True), instance, "loss_reasons"),
        "segments.segment": CustomerSegment.objects.all(),
        "expectations.metric": Metric.objects.all(),
    }


def initiative_segment_choices(*, user: UserLike, instance: object | None) -> dict[str, QuerySet]:
    """A row of the case's segments (the admin's inline): as the initiative's own rule."""
    return {"segment": initiative_choices(user=user, instance=None)["segments.segment"]}


def initiative_expectation_choices(*, user: UserLike, instance: object | None) -> dict[str, QuerySet]:
    """A row of the case's expected metric values (the admin's inline): as the initiative's own rule."""
    return {"metric": initiative_choices(user=user, instance=None)["expectations.metric"]}


def check_in_choices(*, user: UserLike, instance: CheckIn | None) -> dict[str, QuerySet]:
    """A check-in goes on a task the user may add check-ins to (its owner, its head, CCO staff)."""
    return {"task": with_current(task_list_changeable(user=user).select_related(None), instance, "task")}


def slip_list(*, user: UserLike) -> QuerySet[Slip]:
    """The slips of the tasks this user may see, with what a slip list displays joined in."""
    qs = Slip.objects.select_related("task", "task__department", "task__owner", "moved_by", "decided_by")
    if user_sees_everything(user=user):
        return qs
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    return qs.filter(Q(task__department_id__in=user_department_ids(user=user)) | Q(task__owner=user))


def slip_list_awaiting(*, user: UserLike) -> QuerySet[Slip]:
    """Slips waiting for this user's decision: pending, in the departments they head."""
    return slip_list(user=user).filter(
        status=Slip.Status.PENDING, task__department_id__in=user_headed_department_ids(user=user)
    )


def task_waits(*, task: Task) -> tuple[list[Task], list[Task]]:
    """(the tasks waiting on this one, the tasks this one waits on), with what a task page shows of them."""
    related = ("department", "owner")
    waiting = list(task.dependents.select_related(*related).order_by("due_date", "id"))
    awaited = list(task.depends_on.select_related(*related).order_by("due_date", "id"))
    return waiting, awaited


def budget_line_choices(*, user: UserLike, instance: InitiativeDepartment | None) -> dict[str, QuerySet]:
    """Budget lines are CCO staff's: any initiative still running, any department; a purpose names any
    metric or segment and a loss reason the CCO office still uses. A pooled initiative takes no new line."""
    return {
        "initiative": with_current(
            Initiative.objects.filter(pooled_into__isnull=True).exclude(status=Initiative.Status.CANCELLED),
            instance,
            "initiative",
        ),
        "department": Department.objects.all(),
        "metrics": Metric.objects.all(),
        "loss_reasons": with_current(LossReason.objects.filter(active=True), instance, "loss_reasons"),
        "segments": CustomerSegment.objects.all(),
    }


def initiative_pool_choices(*, user: UserLike, instance: Initiative | None) -> dict[str, QuerySet]:
    """CCO staff may name any initiative to pool; the service says in words why one cannot be (other roadmap…)."""
    return {"source": Initiative.objects.all()}


def pledge_list() -> QuerySet[Pledge]:
    """Who each department pledged to which initiative: read by every role, like the initiatives."""
    return Pledge.objects.select_related("initiative", "department", "person")


def pledge_list_changeable(*, user: UserLike) -> QuerySet[Pledge]:
    """CCO staff change every pledge, a head their departments' pledges."""
    return pledge_list().filter(department__in=department_list_changeable(user=user))


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("initiative").prefetch_related("attendees")


def _initiatives_running() -> QuerySet[Initiative]:
    return Initiative.objects.exclude(status=Initiative.Status.CANCELLED)


def pledge_choices(*, user: UserLike, instance: Pledge | None) -> dict[str, QuerySet]:
    """A head pledges the people of the departments they head (the model refuses anyone outside the
    pledge's department); CCO staff pledge anyone. Cancelled initiatives take no pledge."""
    return {
        "initiative": with_current(_initiatives_running(), instance, "initiative"),
        "department": with_current(department_list_changeable(user=user), instance, "department"),
        "person": with_current(user_list_assignable(user=user), instance, "person"),
    }


def meeting_choices(*, user: UserLike, instance: Meeting | None) -> dict[str, QuerySet]:
    """CCO staff record meetings of running initiatives, attended by anyone active."""
    active = get_user_model().objects.filter(is_active=True)
    return {
        "initiative": with_current(_initiatives_running(), instance, "initiative"),
        "attendees": with_current(active, instance, "attendees"),
    }
