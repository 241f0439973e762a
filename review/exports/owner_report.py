"""An owner's accountability report as rows (the page, the CSV and the PDF write the same ones).

Figures are written by `review.numbers`, as on the pages; the CSV starts with a byte-order mark
like the other exports.
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from accountability.owner_report import OwnerReport
from review import numbers
from review.exports.scorecards import _table  # the board pack's table style, shared on purpose

PARTICIPATION_COLUMNS = ["initiative", "department", "hours a month", "months pledged", "months taken part in"]
RECOGNITION_COLUMNS = ["recognised on", "by", "for", "note"]
METRIC_COLUMNS = ["metric", "initiatives", "company value", "company score", "colour"]


def person(user) -> str:
    return user.get_full_name() or user.username


def figure_rows(report: OwnerReport) -> list[tuple[str, str]]:
    """The report's figures as (label, value): delivery, say/do, hand-offs, participation, recognitions."""
    d, h, p = report.delivery, report.hand_offs, report.participation_total
    count, share = numbers.count, lambda v: numbers.percent(v, fraction=True)
    return [
        ("Tasks due", count(d.due)),
        ("Done on time", count(d.on_time)),
        ("Done late", count(d.late)),
        (f"Overdue on {numbers.day(report.figures.today)}", count(d.overdue)),
        ("Not yet due", count(d.pending)),
        ("Blocked", count(d.blocked)),
        (f"Stale (no check-in for {report.figures.stale_days} days)", count(d.stale)),
        ("On-time rate", share(d.on_time_rate)),
        ("Delivery score", numbers.score(d.score)),
        ("Promises falling in the period", count(d.promised)),
        ("Promises kept", count(d.kept)),
        ("Say/do rate", share(d.say_do_rate)),
        ("Slips", count(d.slips)),
        ("Days slipped", count(d.slip_days)),
        ("Average slip (days)", numbers.number(d.average_slip, 1)),
        ("Hand-offs given, due", count(h.due)),
        ("Hand-offs given on time", count(h.on_time)),
        ("Hand-off rate", share(h.rate)),
        ("Pledges", count(p.pledges)),
        ("Pledge-months", count(p.pledge_months)),
        ("Pledge-months taken part in", count(p.took_part)),
        ("Participation", share(p.rate)),
        ("Recognitions received", count(len(report.recognitions))),
    ]


def participation_rows(report: OwnerReport) -> list[list[str]]:
    return [
        [
            item.pledge.initiative.title,
            item.pledge.department.name,
            numbers.number(item.pledge.hours_per_month, 1),
            numbers.count(len(item.months)),
            numbers.count(len(item.took_part)),
        ]
        for item in report.participation
    ]


def _subject(recognition) -> str:
    if recognition.task_id:
        return f"task: {recognition.task.title}"
    if recognition.initiative_id:
        return f"initiative: {recognition.initiative.title}"
    return f"metric: {recognition.metric.name}"


def recognition_rows(report: OwnerReport) -> list[list[str]]:
    return [[numbers.day(r.created_at), person(r.giver), _subject(r), r.note] for r in report.recognitions]


def metric_rows(report: OwnerReport) -> list[list[str]]:
    rows = []
    for row in report.metrics:
        line = row.line
        value = numbers.metric_value(line.value, row.metric.unit) if line else "no company scorecard line"
        colour = line.get_colour_display() if line and line.colour else numbers.DASH
        score = numbers.score(line.score) if line else numbers.DASH
        rows.append([row.metric.name, "; ".join(row.initiatives), value, score, colour])
    return rows


def _head(report: OwnerReport) -> list[list[str]]:
    period = report.period
    return [
        ["owner", person(report.owner)],
        ["period", period.label],
        ["from", numbers.day(period.start)],
        ["to", numbers.day(period.end)],
    ]


def owner_report_csv(*, report: OwnerReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_head(report))
    writer.writerow([])
    writer.writerow(["figure", "value"])
    writer.writerows(figure_rows(report))
    for columns, rows in (
        (PARTICIPATION_COLUMNS, participation_rows(report)),
        (RECOGNITION_COLUMNS, recognition_rows(report)),
        (METRIC_COLUMNS, metric_rows(report)),
    ):
        writer.writerow([])
        writer.writerow(columns)
        writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _wrapped(rows: list[list[str]], style) -> list[list]:
    return [[Paragraph(escape(cell), style) for cell in row] for row in rows]


def owner_report_pdf(*, report: OwnerReport) -> bytes:
    """For a performance review. Uncompressed pages, like the board pack, so the text stays searchable."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=9)
    buffer = io.BytesIO()
    name, period = person(report.owner), report.period
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{name}: accountability report {period}",
        pageCompression=0,
        invariant=1,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    )
    story = [
        Paragraph(escape(f"{name}: accountability report {period.label}"), styles["Title"]),
        Paragraph(f"{numbers.day(period.start)} to {numbers.day(period.end)}", styles["Normal"]),
        Spacer(1, 0.4 * cm),
        _table([list(row) for row in figure_rows(report)], header=False),
    ]
    for title, columns, rows in (
        ("Task forces", PARTICIPATION_COLUMNS, participation_rows(report)),
        ("Recognitions received", RECOGNITION_COLUMNS, recognition_rows(report)),
        ("Metrics of the initiatives worked on", METRIC_COLUMNS, metric_rows(report)),
    ):
        story += [Spacer(1, 0.4 * cm), Paragraph(title, styles["Heading2"])]
        story.append(_table(_wrapped([columns, *rows], small)) if rows else Paragraph("None.", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
