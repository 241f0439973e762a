"""A database built at the previous layout keeps every row when migrated to the new one.

Before the move, the models lived in two apps: `roadmap` (departments, profiles, roadmaps, initiatives,
tasks, check-ins) and `accountability` (metrics, targets, readings, customer movements, idempotency
keys, recompute requests, reminders, scorecards, recognition). Now `org`, `customers` and `core` hold
some of them (docs/adr/0006-apps-on-floors.md). The move is state-only migrations, then table renames
and a data migration that takes the content types along.

The test migrates the test database back to the previous layout, fills EVERY table of the previous
`roadmap` and `accountability` apps (M2M and historical tables included) through the historical models
of that migration state, migrates forward to the latest migrations and then proves, with the current
models imported normally, that:

- every row of every one of those tables is still there, with the same id and the same column values;
- foreign keys and many-to-many links still reach the same rows (a task's department, a reading's
  metric, an initiative's metrics, a department's members...);
- the tables took the names of their new apps (`org_department`, `customers_metric`...);
- the content types moved to the new app labels, keeping their ids and so their permissions (a user's
  permission now reads `org.audit_department`) and the admin history about those objects;
- the move can be undone with the data in place (rows and content types go back), and done again;
- new rows still get fresh ids in the renamed tables (their id sequences came along).

The database is migrated forward again whatever happens, so later tests see the latest schema.
"""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

MOVED_TO_NEW_APPS = ("org", "customers", "core")
PREVIOUS_LAYOUT = {"roadmap": "0001_initial", "accountability": "0004_reminder_settings_remind_on_due_date"}
PREVIOUS_APPS = tuple(PREVIOUS_LAYOUT)
LATER_APPS = ("integrations",)  # made after the move, on top of its apps: not there in the previous layout

# Where each moved model of the previous layout lives now (lower-case labels, as Django keeps them).
NEW_HOMES = {
    "roadmap.department": "org.department",
    "roadmap.department_members": "org.department_members",
    "roadmap.profile": "org.profile",
    "accountability.recomputerequest": "org.recomputerequest",
    "accountability.metric": "customers.metric",
    "accountability.target": "customers.target",
    "accountability.historicaltarget": "customers.historicaltarget",
    "accountability.reading": "customers.reading",
    "accountability.historicalreading": "customers.historicalreading",
    "accountability.customersegment": "customers.customersegment",
    "accountability.lossreason": "customers.lossreason",
    "accountability.customermovement": "customers.customermovement",
    "accountability.idempotencykey": "core.idempotencykey",
}

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 2)


# --- Migrating -------------------------------------------------------------------------------------


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    """Migrate to `targets` and return an executor whose graph knows what is applied now."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _previous_layout_targets(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    """Every app at its leaf, except roadmap and accountability before the move and the new apps unapplied."""
    graph = executor.loader.graph
    targets = []
    for app, name in graph.leaf_nodes():
        if app in MOVED_TO_NEW_APPS or app in LATER_APPS:
            targets.append((app, None))
        elif app in PREVIOUS_LAYOUT:
            node = (app, PREVIOUS_LAYOUT[app])
            assert node in graph.nodes, f"{node} is not a migration any more"
            targets.append(node)
        else:
            targets.append((app, name))
    return targets


def _latest_targets() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# --- Reading tables --------------------------------------------------------------------------------


def _previous_layout_models(old_apps) -> list:
    """The models of every table the previous roadmap and accountability apps had, M2M tables included."""
    return [m for m in old_apps.get_models(include_auto_created=True) if m._meta.app_label in PREVIOUS_APPS]


def _rows(model, columns: list[str]) -> dict:
    """The rows of a model's table, by primary key, as {column: value}."""
    return {row[model._meta.pk.attname]: row for row in model._base_manager.values(*columns)}


def _snapshot(old_apps) -> dict[str, tuple[list[str], dict]]:
    """Every row of every previous-layout table, by model label: (columns, rows by primary key)."""
    snapshot = {}
    for model in _previous_layout_models(old_apps):
        columns = [field.attname for field in model._meta.concrete_fields]
        snapshot[model._meta.label_lower] = (columns, _rows(model, columns))
    return snapshot


def _current_model(old_label: str):
    return current_apps.get_model(NEW_HOMES.get(old_label, old_label))


# --- The previous layout's data ----------------------------------------------------------------------


def _record_history(historical_model, instance, user, **extra):
    """Write the row simple_history writes on a save (it does not listen to a migration state's models)."""
    tracked = {field.attname for field in type(instance)._meta.concrete_fields}
    values = {
        field.attname: getattr(instance, field.attname)
        for field in historical_model._meta.concrete_fields
        if field.attname in tracked
    }
    return historical_model.objects.create(
        **values,
        **extra,
        history_date=AT,
        history_type="+",
        history_user=user,
        history_change_reason="Before the move",
    )


def _fill_previous_layout(old_apps) -> dict:
    """At least one row in every table of the previous roadmap and accountability apps, linked together.

    Returns the ids the assertions after the move look up.
    """

    def model(label):
        return old_apps.get_model(label)

    user = model("auth.User").objects.create(username="head", email="head@example.com")
    member = model("auth.User").objects.create(username="member", email="member@example.com")

    # roadmap: the organisation and the plan.
    department = model("roadmap.Department").objects.create(name="Service", slug="service", head=user)
    department.members.add(user, member)
    other_department = model("roadmap.Department").objects.create(name="Billing", slug="billing")
    profile = model("roadmap.Profile").objects.create(user=member, time_zone="Europe/Paris", receive_digests=False)
    roadmap = model("roadmap.Roadmap").objects.create(
        name="2026", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31), status="active"
    )
    initiative = model("roadmap.Initiative").objects.create(
        roadmap=roadmap,
        title="Answer every call",
        outcome="No customer waits more than a minute.",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
        status="active",
        health="amber",
        owner=user,
        version=3,
    )
    initiative_department = model("roadmap.InitiativeDepartment").objects.create(
        initiative=initiative, department=department, budget=Decimal("12500.50")
    )
    first_task = model("roadmap.Task").objects.create(
        initiative=initiative,
        department=department,
        owner=member,
        title="Hire two agents",
        description="Before the spring peak.",
        due_date=dt.date(2026, 3, 31),
        status="done",
        completed_at=AT,
        percent_complete=100,
        version=2,
    )
    task = model("roadmap.Task").objects.create(
        initiative=initiative,
        department=other_department,
        owner=member,
        title="Train the new agents",
        due_date=dt.date(2026, 4, 30),
        status="in_progress",
        status_changed_at=AT,
        percent_complete=40,
    )
    task.depends_on.add(first_task)
    check_in = model("roadmap.CheckIn").objects.create(
        task=task, author=member, date=DAY, note="Half done.", percent_complete=40, confidence="amber"
    )
    _record_history(model("roadmap.HistoricalInitiative"), initiative, user)
    _record_history(model("roadmap.HistoricalCheckIn"), check_in, member)
    historical_task = _record_history(model("roadmap.HistoricalTask"), task, member)
    depends_on = model("roadmap.Task_depends_on").objects.get(from_task=task, to_task=first_task)
    model("roadmap.HistoricalTask_depends_on").objects.create(
        id=depends_on.pk, history=historical_task, from_task=task, to_task=first_task
    )

    # accountability: customer metrics and the ledger of customers gained and lost.
    metric = model("accountability.Metric").objects.create(
        code="nps", name="Net promoter score", unit="points", direction="higher", weight=Decimal("2.50")
    )
    initiative.metrics.add(metric)
    segment = model("accountability.CustomerSegment").objects.create(name="Business", slug="business", rank=1)
    loss_reason = model("accountability.LossReason").objects.create(name="Price", slug="price")
    target = model("accountability.Target").objects.create(
        metric=metric,
        department=department,
        period_kind="quarter",
        period_start=dt.date(2026, 1, 1),
        target_value=Decimal("40.0000"),
        amber_threshold=Decimal("30.0000"),
        version=4,
    )
    _record_history(model("accountability.HistoricalTarget"), target, user)
    reading = model("accountability.Reading").objects.create(
        metric=metric, department=department, segment=segment, entered_by=member, date=DAY, value=Decimal("37.5")
    )
    _record_history(model("accountability.HistoricalReading"), reading, member)
    movement = model("accountability.CustomerMovement").objects.create(
        date=DAY,
        kind="lost",
        count=3,
        revenue=Decimal("4200.00"),
        profit=Decimal("900.00"),
        note="Moved to a cheaper offer.",
        department=department,
        segment=segment,
        loss_reason=loss_reason,
        entered_by=member,
    )

    # accountability: feeds, scorecards, reminders and recognition.
    idempotency_key = model("accountability.IdempotencyKey").objects.create(
        user=user,
        endpoint="readings-bulk",
        key="batch-1",
        request_hash="0" * 64,
        status_code=201,
        response={"created": 1, "ids": [reading.pk]},
    )
    recompute = model("accountability.RecomputeRequest").objects.create(
        key=f"department-{department.pk}", department=department, requested_at=AT
    )
    model("accountability.ScheduledRun").objects.create(name="reminders", last_run_on=DAY)
    model("accountability.ReminderSettings").objects.create(due_soon_days="5,2", remind_on_due_date=True)
    model("accountability.ScorecardSettings").objects.create(green_from=Decimal("85"), amber_from=Decimal("60"))
    message = model("accountability.Message").objects.create(
        kind="overdue",
        subject_key=f"task-{task.pk}",
        for_date=DAY,
        recipient=member,
        department=department,
        task=task,
        status="sent",
        sent_at=AT,
        claim_token=uuid.UUID("12345678-1234-5678-1234-567812345678"),
    )
    scorecard = model("accountability.Scorecard").objects.create(
        period_kind="quarter",
        period_start=dt.date(2026, 1, 1),
        scope="department",
        department=department,
        computed_at=AT,
        overall_score=Decimal("72.50"),
        overall_colour="amber",
        customers_lost=3,
        customers_net=-3,
    )
    scorecard_line = model("accountability.ScorecardLine").objects.create(
        scorecard=scorecard,
        position=1,
        part="metrics",
        label="Net promoter score",
        metric=metric,
        inputs={"reading": "37.5", "target": "40"},
        value=Decimal("37.5"),
        score=Decimal("75"),
        colour="amber",
    )
    recognitions = [
        model("accountability.Recognition").objects.create(giver=user, recipient=member, note=note, **subject)
        for note, subject in [
            ("NPS up", {"metric": metric}),
            ("Agents hired", {"task": first_task}),
            ("Calls answered", {"initiative": initiative}),
        ]
    ]

    return {
        "user": user.pk,
        "member": member.pk,
        "department": department.pk,
        "other_department": other_department.pk,
        "profile": profile.pk,
        "initiative": initiative.pk,
        "initiative_department": initiative_department.pk,
        "first_task": first_task.pk,
        "task": task.pk,
        "metric": metric.pk,
        "segment": segment.pk,
        "loss_reason": loss_reason.pk,
        "target": target.pk,
        "reading": reading.pk,
        "movement": movement.pk,
        "idempotency_key": idempotency_key.pk,
        "recompute": recompute.pk,
        "message": message.pk,
        "scorecard": scorecard.pk,
        "scorecard_line": scorecard_line.pk,
        "metric_recognition": recognitions[0].pk,
    }


def _content_types_before_the_move(old_apps, ids: dict) -> dict:
    """The previous layout's content types of a department and a metric, a permission a member holds on
    departments, and an admin history entry about the department."""
    content_type = old_apps.get_model("contenttypes.ContentType")
    department_type, _ = content_type.objects.get_or_create(app_label="roadmap", model="department")
    metric_type, _ = content_type.objects.get_or_create(app_label="accountability", model="metric")
    permission = old_apps.get_model("auth.Permission").objects.create(
        codename="audit_department", name="Can audit a department", content_type=department_type
    )
    old_apps.get_model("auth.User").objects.get(pk=ids["member"]).user_permissions.add(permission)
    log_entry = old_apps.get_model("admin.LogEntry").objects.create(
        action_time=AT,
        user_id=ids["user"],
        content_type=department_type,
        object_id=str(ids["department"]),
        object_repr="Service",
        action_flag=2,
        change_message="Renamed before the move",
    )
    return {
        "department_type": department_type.pk,
        "metric_type": metric_type.pk,
        "permission": permission.pk,
        "log_entry": log_entry.pk,
    }


# --- After the move ----------------------------------------------------------------------------------


def _assert_every_row_kept(snapshot: dict) -> None:
    for old_label, (columns, rows_before) in snapshot.items():
        model = _current_model(old_label)
        rows_after = _rows(model, columns)
        assert rows_after == rows_before, f"{old_label} (now {model._meta.label_lower}): rows differ after the move"


def _assert_tables_renamed(snapshot: dict) -> None:
    tables = set(connection.introspection.table_names())
    assert {"org_department", "org_department_members", "customers_metric", "core_idempotencykey"} <= tables
    assert not {"roadmap_department", "roadmap_department_members", "accountability_metric"} & tables
    for old_label, new_label in NEW_HOMES.items():
        app, model_name = old_label.split(".")
        new_table = current_apps.get_model(new_label)._meta.db_table
        assert new_table in tables, f"{new_label} has no table {new_table}"
        assert new_table.startswith(new_label.split(".")[0] + "_")
        assert f"{app}_{model_name}" not in tables, f"the table of {old_label} was left behind"
    assert set(snapshot) >= set(NEW_HOMES), "a moved model is missing from the previous layout"


def _assert_relations_follow(ids: dict) -> None:
    from accountability.models import Message, Recognition, Scorecard, ScorecardLine
    from core.models import IdempotencyKey
    from customers.models import CustomerMovement, Metric, Reading, Target
    from org.models import Department, Profile, RecomputeRequest
    from roadmap.models import CheckIn, Initiative, InitiativeDepartment, Task

    department = Department.objects.get(pk=ids["department"])
    assert (department.name, department.slug, department.head_id) == ("Service", "service", ids["user"])
    assert set(department.members.values_list("pk", flat=True)) == {ids["user"], ids["member"]}
    assert Profile.objects.get(pk=ids["profile"]).user.username == "member"

    initiative = Initiative.objects.get(pk=ids["initiative"])
    metric = Metric.objects.get(pk=ids["metric"])
    assert list(initiative.metrics.all()) == [metric]
    assert list(initiative.departments.all()) == [department]
    link = InitiativeDepartment.objects.get(pk=ids["initiative_department"])
    assert (link.department, link.budget) == (department, Decimal("12500.50"))

    task = Task.objects.get(pk=ids["task"])
    first_task = Task.objects.get(pk=ids["first_task"])
    assert task.department == Department.objects.get(pk=ids["other_department"])
    assert first_task.department == department
    assert list(task.depends_on.all()) == [first_task]
    assert CheckIn.objects.get(task=task).confidence == "amber"
    historical_task = task.history.get()
    assert historical_task.department == task.department
    assert [link.to_task_id for link in historical_task.depends_on.all()] == [first_task.pk]

    reading = Reading.objects.get(pk=ids["reading"])
    assert (reading.metric, reading.department, reading.segment_id) == (metric, department, ids["segment"])
    assert reading.history.get().metric == metric
    target = Target.objects.get(pk=ids["target"])
    assert (target.metric, target.department, target.version) == (metric, department, 4)
    assert target.history.get().department == department
    movement = CustomerMovement.objects.get(pk=ids["movement"])
    assert (movement.department, movement.segment_id, movement.loss_reason_id) == (
        department,
        ids["segment"],
        ids["loss_reason"],
    )
    assert list(metric.readings.all()) == [reading]
    assert list(department.tasks.all()) == [first_task]

    message = Message.objects.get(pk=ids["message"])
    assert (message.department, message.task) == (department, task)
    assert Scorecard.objects.get(pk=ids["scorecard"]).department == department
    line = ScorecardLine.objects.get(pk=ids["scorecard_line"])
    assert (line.metric, line.scorecard_id) == (metric, ids["scorecard"])
    assert Recognition.objects.get(pk=ids["metric_recognition"]).metric == metric
    assert RecomputeRequest.objects.get(pk=ids["recompute"]).department == department
    assert IdempotencyKey.objects.get(pk=ids["idempotency_key"]).user.username == "head"


def _assert_content_types_follow(content_types: dict, ids: dict) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from customers.models import Metric
    from org.models import Department

    ContentType.objects.clear_cache()
    department_type = ContentType.objects.get(pk=content_types["department_type"])
    assert (department_type.app_label, department_type.model) == ("org", "department")
    assert ContentType.objects.get_for_model(Department).pk == department_type.pk
    metric_type = ContentType.objects.get(pk=content_types["metric_type"])
    assert (metric_type.app_label, metric_type.model) == ("customers", "metric")
    assert ContentType.objects.get_for_model(Metric).pk == metric_type.pk
    assert not ContentType.objects.filter(app_label="roadmap", model="department").exists()
    assert not ContentType.objects.filter(app_label="accountability", model="metric").exists()

    permission = Permission.objects.get(pk=content_types["permission"])
    assert (permission.codename, permission.content_type) == ("audit_department", department_type)
    assert Permission.objects.get(content_type__app_label="org", codename="audit_department") == permission
    assert get_user_model().objects.get(pk=ids["member"]).has_perm("org.audit_department")

    log_entry = LogEntry.objects.get(pk=content_types["log_entry"])
    assert log_entry.content_type == department_type
    assert log_entry.get_edited_object() == Department.objects.get(pk=ids["department"])


def _assert_new_rows_get_fresh_ids(ids: dict) -> None:
    """The renamed tables still hand out ids after the old rows' (PostgreSQL keeps the identity sequence)."""
    from customers.models import Metric
    from org.models import Department

    department = Department.objects.create(name="Sales", slug="sales")
    assert department.pk > ids["other_department"]
    department.members.add(ids["member"])
    metric = Metric.objects.create(code="churn", name="Churn")
    assert metric.pk > ids["metric"]


def _assert_back_at_the_previous_layout(old_apps, snapshot: dict, content_types: dict) -> None:
    """Undoing the move puts every row and content type back where the previous layout had them."""
    assert _snapshot(old_apps) == snapshot
    content_type = old_apps.get_model("contenttypes.ContentType")
    department_type = content_type.objects.get(pk=content_types["department_type"])
    assert (department_type.app_label, department_type.model) == ("roadmap", "department")
    metric_type = content_type.objects.get(pk=content_types["metric_type"])
    assert (metric_type.app_label, metric_type.model) == ("accountability", "metric")
    tables = set(connection.introspection.table_names())
    assert {"roadmap_department", "roadmap_department_members", "accountability_metric"} <= tables
    assert not {"org_department", "customers_metric", "core_idempotencykey"} & tables


@pytest.mark.django_db(transaction=True)
def test_previous_layout_keeps_every_row_after_the_move():
    executor = MigrationExecutor(connection)
    previous = _previous_layout_targets(executor)
    try:
        executor = _migrate(previous)
        old_apps = executor.loader.project_state([node for node in previous if node[1] is not None]).apps
        ids = _fill_previous_layout(old_apps)
        content_types = _content_types_before_the_move(old_apps, ids)
        snapshot = _snapshot(old_apps)
        empty = sorted(label for label, (_, rows) in snapshot.items() if not rows)
        assert not empty, f"the test leaves these previous-layout tables empty: {empty}"

        _migrate(_latest_targets())

        _assert_tables_renamed(snapshot)
        _assert_every_row_kept(snapshot)
        _assert_relations_follow(ids)
        _assert_content_types_follow(content_types, ids)
        if connection.vendor == "sqlite":
            connection.check_constraints()  # no foreign key points at a table that was renamed away

        # The move can be undone with the data in place, and done again.
        _migrate(previous)
        _assert_back_at_the_previous_layout(old_apps, snapshot, content_types)
        _migrate(_latest_targets())
        _assert_every_row_kept(snapshot)
        _assert_new_rows_get_fresh_ids(ids)
    finally:
        _migrate(_latest_targets())
