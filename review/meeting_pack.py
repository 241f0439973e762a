"""A meeting pack in words: each part as the question the CCO will ask, prepared from the data.

The page and the PDF both show these sections, so they say the same thing. Figures are
written by `review.numbers`, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accountability.scorecards.follow_through import FollowThrough, MetricFollowThrough
from review import numbers
from review.selectors.meeting_pack import CompanyPack, DepartmentPack
from roadmap.models import Initiative


@dataclass
class Section:
    """One question: what it asks, what the data says in a sentence, and the rows to go through."""

    key: str
    question: str
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each cell with its column's name (a phone shows the rows as labelled cards)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


def _n(count: int, word: str, plural: str | None = None) -> str:
    """3 → "3 customers", 1 → "1 customer"."""
    return f"{numbers.count(count)} {word if count == 1 else plural or word + 's'}"


def _name(user) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()


def _lost(pack: DepartmentPack) -> Section:
    dept = pack.department.name
    rows = [
        [
            r.reason,
            numbers.count(r.lost),
            numbers.money(r.profit_lost),
            ", ".join(i.title for i in r.initiatives) or "none",
            f"What is {dept} doing about “{r.reason}”?"
            if r.initiatives
            else f"No active initiative addresses “{r.reason}”: what will {dept} propose, and by when?",
        ]
        for r in pack.lost
    ]
    return Section(
        "lost",
        f"Which customers did {dept} lose, and why?",
        f"{_n(pack.lost_total, 'customer')} lost in {pack.period} for reasons {dept} is accountable for, "
        f"{numbers.money(pack.profit_lost_total)} of yearly profit.",
        ["Loss reason", "Customers lost", "Yearly profit lost", "Active initiatives on it", "To ask"],
        rows,
        f"No customers lost in {pack.period} for a reason {dept} is accountable for.",
    )


def _hand_offs(pack: DepartmentPack) -> Section:
    rows = []
    for h in pack.late_hand_offs:
        state = f"still open, {h.days_late} days overdue" if h.open else f"done {h.days_late} days late"
        rows.append(
            [
                h.awaited.title,
                numbers.day(h.awaited.due_date),
                f"{h.waiting.department.name}: {h.waiting.title}",
                state,
                f"What held up “{h.awaited.title}”, and when will {h.waiting.department.name} have it?"
                if h.open
                else f"What held up “{h.awaited.title}”, and what stops it happening again?",
            ]
        )
    return Section(
        "hand-offs",
        f"Why were {pack.department.name}'s hand-offs late?",
        f"{_n(len(pack.late_hand_offs), 'hand-off')} to other departments due in {pack.period} "
        f"{'was' if len(pack.late_hand_offs) == 1 else 'were'} late.",
        ["Task waited on", "Due", "Who waited", "How late", "To ask"],
        rows,
        f"No hand-off due in {pack.period} was late.",
    )


def _slips(pack: DepartmentPack) -> Section:
    rows = [
        [
            s.task.title,
            f"{numbers.day(s.from_date)} → {numbers.day(s.to_date)} ({s.days:+d} days)",
            f"{_name(s.moved_by)}, {s.get_status_display().lower()}",
            s.reason,
            "Will the new date hold, and who is affected?",
        ]
        for s in pack.slips
    ]
    days = sum(s.days for s in pack.slips if s.days > 0)
    return Section(
        "slips",
        f"Why did {pack.department.name}'s due dates move?",
        f"{_n(len(pack.slips), 'due date')} moved in {pack.period}, {days} days later in all.",
        ["Task", "Moved", "By, decision", "Reason given", "To ask"],
        rows,
        f"No due date moved in {pack.period}.",
    )


def _red_metrics(pack: DepartmentPack) -> Section:
    rows = [
        [
            line.metric.name if line.metric else line.label,
            numbers.line_value(line),
            numbers.score(line.score),
            line.explanation,
            "What will bring it back to green, and by when?",
        ]
        for line in pack.red_metrics
    ]
    if pack.scorecard is None:
        summary = f"{pack.department.name} has no scorecard for {pack.period} yet: no metric scored."
    else:
        summary = f"{_n(len(pack.red_metrics), 'metric')} red on the scorecard of {pack.period}."
    return Section(
        "red-metrics",
        "What will bring the red metrics back?",
        summary,
        ["Metric", "Value", "Score", "How it was reached", "To ask"],
        rows,
        "No metric is red.",
    )


def _figure(m: MetricFollowThrough) -> str:
    unit = m.metric.unit
    expected = numbers.metric_value(m.expectation.expected_value, unit)
    return (
        f"{m.metric.name}: expected {expected} by {numbers.day(m.expectation.by_date)}; "
        f"was {numbers.metric_value(m.before, unit)} ({m.before_period}), "
        f"now {numbers.metric_value(m.now, unit)} ({m.now_period})"
    )


def _follow_through_question(f: FollowThrough) -> str:
    if f.did_not_move:
        return "It is done and nothing moved: why not, and what now?"
    if any(m.moved is False for m in f.metrics):
        return "Some metrics did not move: what is in the way?"
    if f.metrics and all(m.reached for m in f.metrics):
        return "Every expected value reached: what made it work, and who should hear it?"
    if f.initiative.status == Initiative.Status.DONE:
        return "It is done but short of what its case expected: what would close the gap?"
    if not f.metrics:
        return "Its case names no metric: how will we know it worked?"
    return "Is it on course to reach what its case expects?"


def _follow_through(pack: DepartmentPack) -> Section:
    rows = []
    for f in pack.follow_through:
        figures = "; ".join(_figure(m) for m in f.metrics) or "its case names no metric"
        losses = "; ".join(f"{r.name}: {r.before} lost before, {r.now} now" for r in f.loss_reasons)
        rows.append(
            [
                f.initiative.title,
                f"{f.initiative.get_status_display()}, {numbers.day(f.initiative.start_date)} to "
                f"{numbers.day(f.initiative.end_date)}",
                figures + (f". Loss reasons: {losses}" if losses else ""),
                _follow_through_question(f),
            ]
        )
    return Section(
        "follow-through",
        f"Did {pack.department.name}'s initiatives move what they promised?",
        f"{_n(len(pack.follow_through), 'initiative')} {pack.department.name} takes part in ran in {pack.period} "
        f"or finished in {pack.period.previous}.",
        ["Initiative", "Status and dates", "Expected, was, now", "To ask"],
        rows,
        "No initiative of the department ran in the period.",
    )


def _recognitions(pack: DepartmentPack) -> Section:
    rows = [
        [
            _name(r.recipient),
            _name(r.giver),
            str(r.task or r.initiative or r.metric),
            r.note,
            numbers.day(r.created_at),
        ]
        for r in pack.recognitions
    ]
    return Section(
        "recognitions",
        f"Whose customer work should the meeting thank in {pack.department.name}?",
        f"{_n(len(pack.recognitions), 'recognition')} earned in {pack.period}.",
        ["Who", "Thanked by", "For", "Note", "On"],
        rows,
        f"No recognition earned in {pack.period}: is good work going unseen?",
    )


def department_sections(*, pack: DepartmentPack) -> list[Section]:
    return [
        _lost(pack),
        _hand_offs(pack),
        _slips(pack),
        _red_metrics(pack),
        _follow_through(pack),
        _recognitions(pack),
    ]


def company_opening(*, pack: CompanyPack) -> list[tuple[str, str, str]]:
    """Customers in, out and net: (what, how many, yearly profit)."""
    return [
        ("Customers in (gained)", numbers.count(pack.gained), numbers.money(pack.profit_gained)),
        ("Customers out (lost)", numbers.count(pack.lost), numbers.money(pack.profit_lost)),
        ("Net", numbers.count(pack.net), numbers.money(pack.net_profit)),
    ]


def _did_not_move_summary(shown: int, count: int) -> str:
    summary = f"{_n(count, 'finished initiative')} whose metrics did not move."
    if count > shown:  # a large company has thousands: the meeting goes through the latest
        summary += (
            f" The {numbers.count(shown)} that ended last are listed; "
            "each initiative's timeline shows its follow-through."
        )
    return summary


def company_sections(*, pack: CompanyPack) -> list[Section]:
    reasons = [
        [
            r.reason.name,
            numbers.count(r.lost),
            numbers.money(r.profit_lost),
            r.department.name if r.department else "no owner",
            ", ".join(i.title for i in r.initiatives) or "none",
            "Who owns it? CCO staff must name an accountable department."
            if r.department is None
            else (f"{r.department.name}: what will you propose?" if not r.initiatives else "Is the work enough?"),
        ]
        for r in pack.loss_reasons
    ]
    departments = [
        [d.name, numbers.count(n), numbers.money(profit), "Which of these could you have kept?" if n else ""]
        for d, n, profit in pack.departments
    ]
    if pack.unowned_lost:
        departments.append(["no owner", numbers.count(pack.unowned_lost), "", "Which department should own these?"])
    flagged = [
        [f.initiative.title, numbers.day(f.initiative.end_date), "; ".join(_figure(m) for m in f.metrics)]
        for f in pack.did_not_move
    ]
    return [
        Section(
            "top-loss-reasons",
            "Why did customers leave, and who owns each reason?",
            f"The top {len(reasons)} loss reasons of {pack.period}.",
            ["Loss reason", "Customers lost", "Yearly profit lost", "Accountable", "Active initiatives", "To ask"],
            reasons,
            f"No customers lost in {pack.period}.",
        ),
        Section(
            "departments",
            "Which department's customers were lost?",
            "Customers lost in the period, by the department accountable for their loss reason.",
            ["Department", "Customers lost", "Yearly profit lost", "To ask"],
            departments,
            "No departments yet.",
        ),
        Section(
            "did-not-move",
            "Which finished initiatives moved nothing?",
            _did_not_move_summary(len(flagged), pack.did_not_move_count),
            ["Initiative", "Ended", "Expected, was, now"],
            flagged,
            "Every finished initiative moved at least one of its metrics.",
        ),
    ]
