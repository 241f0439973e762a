"""The customer case and the proposal workflow: the one door for their writes.

An initiative is drafted (by CCO staff or a department head), given its customer case, then
proposed; CCO staff approve it (it goes on the roadmap, active) or send it back with a reason.
Each step is an `InitiativeDecision`. Approvals and sendings back are told to the proposer:
on commit, `accountability.proposal_decision_tell` is sent by name (docs/architecture.md),
and the reminders sweep catches up any the broker missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.events import event_emit
from core.queue import publish
from roadmap.models import Initiative, InitiativeDecision, InitiativeExpectation, InitiativeSegment
from roadmap.services import initiative_create, initiative_update

TELL_TASK = "accountability.proposal_decision_tell"

CASE_INCOMPLETE = "The customer case is incomplete: {missing}. Complete it before proposing."
CASE_MISSING = {
    "segments": "the segments it affects and how many customers",
    "loss_reasons": "the loss reasons it addresses",
    "expectations": "the metrics it should move, with the expected value and by when",
    "profit_at_stake": "the yearly profit at stake",
}
NOT_PROPOSABLE = "Only a draft or an initiative sent back can be proposed (this one is {state})."
NOT_DECIDABLE = "Only a proposed initiative can be approved or sent back (this one is {state})."
REASON_REQUIRED = "Say why it is sent back: the proposer reads it."
SEGMENT_TWICE = "Each segment may appear once."
METRIC_TWICE = "Each metric may appear once."


def initiative_case_missing(*, initiative: Initiative) -> list[str]:
    """The names of the parts of the customer case still missing (empty: the case is complete)."""
    missing = []
    if not initiative.segment_links.exists():
        missing.append("segments")
    if not initiative.loss_reasons.exists():
        missing.append("loss_reasons")
    if not initiative.expectations.exists():
        missing.append("expectations")
    if initiative.profit_at_stake is None:
        missing.append("profit_at_stake")
    return missing


def _rows_validate(rows: list[Any], key: str, twice: str, field: str) -> None:
    errors = {}
    seen = [getattr(row, key) for row in rows]
    if len(seen) != len(set(seen)):
        raise ValidationError({field: twice})
    for row in rows:
        try:
            row.full_clean(exclude=["initiative"])
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def initiative_case_set(
    *,
    initiative: Initiative,
    segments: Iterable[tuple[Any, int]] | None = None,
    loss_reasons: Iterable[Any] | None = None,
    expectations: Iterable[tuple[Any, Decimal, Any]] | None = None,
) -> Initiative:
    """Replace the parts of the case given (None: leave as it is); the metrics expected join `metrics`.

    `segments`: (segment, customers); `expectations`: (metric, expected value, by date). Every row is
    validated before any is written, so a bad one changes nothing.
    """
    if segments is not None:
        rows = [InitiativeSegment(initiative=initiative, segment=s, customers=n) for s, n in segments]
        _rows_validate(rows, "segment_id", SEGMENT_TWICE, "segments")
        initiative.segment_links.all().delete()
        InitiativeSegment.objects.bulk_create(rows)
    if expectations is not None:
        rows = [
            InitiativeExpectation(initiative=initiative, metric=m, expected_value=v, by_date=d)
            for m, v, d in expectations
        ]
        _rows_validate(rows, "metric_id", METRIC_TWICE, "expectations")
        initiative.expectations.all().delete()
        InitiativeExpectation.objects.bulk_create(rows)
        initiative.metrics.add(*[row.metric for row in rows])
    if loss_reasons is not None:
        initiative.loss_reasons.set(loss_reasons)
    return initiative


@transaction.atomic
def initiative_expectation_add(
    *, initiative: Initiative, metric: Any, expected_value: Decimal, by_date: Any
) -> InitiativeExpectation:
    """One more metric the case expects to move (imports add them row by row); it joins `metrics`.

    A value outside the metric's range, or a metric the case already expects, is refused.
    """
    row = InitiativeExpectation(initiative=initiative, metric=metric, expected_value=expected_value, by_date=by_date)
    row.full_clean()
    row.save()
    initiative.metrics.add(metric)
    return row


@transaction.atomic
def initiative_draft(
    *,
    drafted_by: Any,
    segments: Iterable[tuple[Any, int]] | None = None,
    loss_reasons: Iterable[Any] | None = None,
    expectations: Iterable[tuple[Any, Decimal, Any]] | None = None,
    **fields: Any,
) -> Initiative:
    """A new initiative, a draft until proposed, with as much of its customer case as is known."""
    initiative = initiative_create(drafted_by=drafted_by, **fields)
    return initiative_case_set(
        initiative=initiative, segments=segments, loss_reasons=loss_reasons, expectations=expectations
    )


@transaction.atomic
def initiative_revise(
    *,
    initiative: Initiative,
    expected_version: int | None = None,
    segments: Iterable[tuple[Any, int]] | None = None,
    loss_reasons: Iterable[Any] | None = None,
    expectations: Iterable[tuple[Any, Decimal, Any]] | None = None,
    **fields: Any,
) -> Initiative:
    """Change an initiative and the parts of its case given, in one transaction (all or nothing)."""
    initiative = initiative_update(initiative=initiative, expected_version=expected_version, **fields)
    return initiative_case_set(
        initiative=initiative, segments=segments, loss_reasons=loss_reasons, expectations=expectations
    )


def _decide(initiative: Initiative, *, action: str, by: Any, reason: str = "") -> InitiativeDecision:
    """Record the step and move the initiative (its history keeps who changed it)."""
    proposer = by if action == InitiativeDecision.Action.PROPOSED else _last_proposer(initiative)
    decision = InitiativeDecision(
        initiative=initiative, action=action, by=by, proposer=proposer, reason=reason, at=timezone.now()
    )
    decision.full_clean()
    decision.save()
    initiative.proposal = {
        InitiativeDecision.Action.PROPOSED: Initiative.Proposal.PROPOSED,
        InitiativeDecision.Action.APPROVED: Initiative.Proposal.APPROVED,
        InitiativeDecision.Action.SENT_BACK: Initiative.Proposal.SENT_BACK,
    }[action]
    if action == InitiativeDecision.Action.APPROVED and initiative.status == Initiative.Status.PLANNED:
        initiative.status = Initiative.Status.ACTIVE
    initiative.version += 1
    initiative._history_user = by  # simple_history: the history names who moved it
    initiative.full_clean()
    initiative.save()
    event_emit(_EVENTS[action], instance=decision)
    return decision


_EVENTS = {
    InitiativeDecision.Action.PROPOSED: "initiative.proposed",
    InitiativeDecision.Action.APPROVED: "initiative.approved",
    InitiativeDecision.Action.SENT_BACK: "initiative.sent_back",
}


def _last_proposer(initiative: Initiative) -> Any:
    last = initiative.decisions.filter(action=InitiativeDecision.Action.PROPOSED).select_related("by").first()
    return last.by if last else None


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


@transaction.atomic
def initiative_propose(*, initiative: Initiative, by: Any) -> InitiativeDecision:
    """Propose a draft (or one sent back) to CCO staff; refused, naming what is missing, without a complete case."""
    initiative = _locked(initiative)
    if initiative.proposal not in (Initiative.Proposal.DRAFT, Initiative.Proposal.SENT_BACK):
        raise ValidationError(NOT_PROPOSABLE.format(state=initiative.get_proposal_display().lower()))
    missing = initiative_case_missing(initiative=initiative)
    if missing:
        raise ValidationError(
            {name: CASE_INCOMPLETE.format(missing="; ".join(CASE_MISSING[m] for m in missing)) for name in missing}
        )
    return _decide(initiative, action=InitiativeDecision.Action.PROPOSED, by=by)


def _decision_check(initiative: Initiative) -> None:
    if initiative.proposal != Initiative.Proposal.PROPOSED:
        raise ValidationError(NOT_DECIDABLE.format(state=initiative.get_proposal_display().lower()))


@transaction.atomic
def initiative_approve(*, initiative: Initiative, by: Any) -> InitiativeDecision:
    """Approve a proposal (CCO staff: the caller checks): it goes on the roadmap, and its proposer is told."""
    initiative = _locked(initiative)
    _decision_check(initiative)
    decision = _decide(initiative, action=InitiativeDecision.Action.APPROVED, by=by)
    transaction.on_commit(lambda: proposal_decision_announce(decision_id=decision.pk))
    return decision


@transaction.atomic
def initiative_send_back(*, initiative: Initiative, by: Any, reason: str) -> InitiativeDecision:
    """Send a proposal back to the drawing board with the reason (CCO staff); its proposer is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    initiative = _locked(initiative)
    _decision_check(initiative)
    decision = _decide(initiative, action=InitiativeDecision.Action.SENT_BACK, by=by, reason=reason)
    transaction.on_commit(lambda: proposal_decision_announce(decision_id=decision.pk))
    return decision


def proposal_decision_announce(*, decision_id: int) -> None:
    """Tell the proposer of a decision. The one place to hook more ways of telling (in-app notifications).

    Sent by name: the floor that sends email (accountability) stands above this one.
    """
    publish(TELL_TASK, decision_id=decision_id)
