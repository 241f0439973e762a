"""The department scorecard's participation line: how much of what its people pledged they gave.

DOMAIN (docs/domain.md, Pledge): a department's participation in a period = the pledge-months of
its people taken part in / their pledge-months (`roadmap/pledge_months.py`). Like say/do and the
hand-off rate it explains the scorecard and is not part of the overall score. Four queries per
computation, for every department at once.
"""

from __future__ import annotations

from django.db.models import Q

from accountability.scorecards.context import Context, basis_points, fmt
from accountability.scorecards.lines import LineDraft, Part
from roadmap.pledge_months import ParticipationCount, participation_by


def participation_by_department(*, ctx: Context, department_ids: list[int]) -> dict[int, ParticipationCount]:
    where = Q(department_id__in=department_ids)
    period = ctx.period
    return participation_by(where=where, start=period.start, end=period.end, today=ctx.today, key="department_id")


def participation_line(counts: ParticipationCount) -> LineDraft:
    rate = counts.rate
    if rate is None:
        explanation = "No one of the department is pledged to an initiative running in the period: no participation."
    else:
        explanation = (
            f"pledge-months taken part in (a check-in, a task edit or a meeting attended) {counts.took_part} / "
            f"pledge-months {counts.pledge_months} = {fmt(rate, 4)}, over {counts.pledges} pledges; a month still "
            "going on counts to today. Shown beside delivery; not part of the overall score."
        )
    return LineDraft(
        part=Part.TASK_FORCE,
        label="Participation",
        value=rate,
        inputs={
            "pledges": counts.pledges,
            "pledge_months": counts.pledge_months,
            "took_part": counts.took_part,
            "participation_rate": None if rate is None else str(basis_points(rate)),
        },
        explanation=explanation,
        part_of_overall=False,
    )
