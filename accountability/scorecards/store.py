"""Store drafts as snapshots: replace the period's snapshot of each subject, keep closed ones."""

from __future__ import annotations

import json

from django.db import connection

from accountability.models import Scorecard, ScorecardLine
from accountability.scorecards.compose import ScorecardDraft
from accountability.scorecards.context import Context, Subject
from core.events import events_emit


def snapshots_store(
    *, ctx: Context, drafts: list[ScorecardDraft], sweep: bool, force: bool = False, close: bool = False
) -> list[Scorecard]:
    """Write the drafts; returns the snapshots written (a closed one is skipped unless `force`).

    `sweep`: the drafts cover the whole period, so an open snapshot of a subject that is no
    longer there (an owner without tasks now) goes too. Call inside a transaction.
    """
    period = ctx.period
    doomed, kept, closed_before, skipped = _replaced(ctx, {draft.subject for draft in drafts}, sweep=sweep, force=force)
    if doomed:
        Scorecard.objects.filter(pk__in=doomed).delete()
    if skipped:  # asked again while closed: the data may have moved on (follow-through stops reading them)
        Scorecard.objects.filter(pk__in=skipped, outdated=False).update(outdated=True)
    to_write = [draft for draft in drafts if draft.subject not in kept]
    scorecards = Scorecard.objects.bulk_create(
        Scorecard(
            period_kind=period.kind,
            period_start=period.start,
            computed_at=ctx.now,
            closed=close or d.subject in closed_before,
            **d.fields,
        )
        for d in to_write
    )
    lines = [
        line.to_model(scorecard_id=scorecard.pk, position=position)
        for scorecard, draft in zip(scorecards, to_write, strict=True)
        for position, line in enumerate(draft.lines)
    ]
    _lines_insert(lines)
    events_emit("scorecard.computed", instances=scorecards)
    return scorecards


def _lines_insert(lines: list[ScorecardLine]) -> None:
    """Insert the lines; on PostgreSQL with COPY, since a period writes thousands of them and a
    multi-row INSERT spends most of its time quoting parameters on the client."""
    if connection.vendor != "postgresql":
        ScorecardLine.objects.bulk_create(lines)
        return
    fields = [f for f in ScorecardLine._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(ScorecardLine._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for line in lines:
            copy.write_row(
                [json.dumps(line.inputs) if f.name == "inputs" else getattr(line, f.attname) for f in fields]
            )
    if connection.queries_logged:  # COPY bypasses Django's cursor wrapper; count it like any query
        connection.queries_log.append({"sql": statement, "time": "0.000"})


def _replaced(ctx: Context, wanted: set[Subject], *, sweep: bool, force: bool):
    """(snapshot ids to delete, closed subjects to keep, closed subjects recomputed by force,
    ids of the closed snapshots this computation would have replaced)."""
    existing = Scorecard.objects.filter(period_kind=ctx.period.kind, period_start=ctx.period.start).values_list(
        "pk", "scope", "department_id", "owner_id", "closed"
    )
    kept: set[Subject] = set()
    closed_before: set[Subject] = set()  # recomputed with `force`, they stay closed
    doomed, skipped = [], []
    for pk, scope, department_id, owner_id, closed in existing:
        subject = (scope, department_id or owner_id)
        if closed and not force:
            kept.add(subject)
            if sweep or subject in wanted:
                skipped.append(pk)
            continue
        if closed:
            closed_before.add(subject)
        if sweep or subject in wanted:
            doomed.append(pk)
    return doomed, kept, closed_before, skipped
