"""A scorecard as a board pack (PDF, with its trend chart) and as CSV.

Figures are written by `review.numbers`, as on the pages. The CSV starts with a byte-order mark so
that spreadsheets read "£" and the en dash as UTF-8 (the imports accept it too).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accountability.models import Scorecard, ScorecardLine
from core.periods import Period
from review import numbers

HEALTH = {"green": colors.HexColor("#2e7d32"), "amber": colors.HexColor("#ef8f00"), "red": colors.HexColor("#c62828")}
WARNING = colors.HexColor("#fff3cd")
SUB_PARTS = (ScorecardLine.Part.SEGMENT, ScorecardLine.Part.LOSS_REASON, ScorecardLine.Part.BREAKDOWN)


@dataclass
class ScorecardExport:
    """What a board pack shows: one scope's snapshot, its lines, its trend, and (company) the departments."""

    name: str
    period: Period
    scorecard: Scorecard | None
    lines: Sequence[ScorecardLine]
    trend: Sequence[tuple[Period, Decimal | None]]
    departments: Sequence[tuple[str, Scorecard | None]] = ()


def _summary(card: Scorecard | None, period: Period) -> list[tuple[str, str]]:
    if card is None:
        return [("Overall score", "no snapshot computed")]
    count, money = numbers.count, numbers.money
    return [
        ("Overall score", f"{numbers.score(card.overall_score)} ({card.get_overall_colour_display()})"),
        ("Change vs previous period", numbers.change(card.change)),
        ("Delivery score", numbers.score(card.delivery_score)),
        ("Metrics score", numbers.score(card.metrics_score)),
        ("Customer growth score", numbers.score(card.growth_score)),
        (
            f"Tasks due in {period.label}: due / on time / late / overdue among them",
            f"{count(card.tasks_due)} / {count(card.tasks_on_time)} / {count(card.tasks_late)} / "
            f"{count(card.tasks_overdue)}",
        ),
        (f"Tasks due in {period.label}: blocked / stale", f"{count(card.tasks_blocked)} / {count(card.tasks_stale)}"),
        (
            "Customers gained / lost / net",
            f"{count(card.customers_gained)} / {count(card.customers_lost)} / {count(card.customers_net)}",
        ),
        ("Revenue gained / lost", f"{money(card.revenue_gained)} / {money(card.revenue_lost)}"),
        ("Profit gained / lost", f"{money(card.profit_gained)} / {money(card.profit_lost)}"),
    ]


def _department_row(name: str, card: Scorecard | None) -> list[str]:
    if card is None:
        return [name, "no snapshot", numbers.DASH, numbers.DASH, numbers.DASH]
    return [
        name,
        numbers.score(card.overall_score),
        card.get_overall_colour_display() if card.overall_colour else numbers.DASH,
        numbers.change(card.change),
        numbers.count(card.customers_net),
    ]


def scorecard_csv(*, export: ScorecardExport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["scope", export.name])
    writer.writerow(["period", export.period.label])
    writer.writerow(["from", numbers.day(export.period.start)])
    writer.writerow(["to", numbers.day(export.period.end)])
    for label, value in _summary(export.scorecard, export.period):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow(["part", "label", "value", "score", "colour", "weight", "explanation"])
    for line in export.lines:
        writer.writerow(
            [
                line.part,
                line.label,
                numbers.line_value(line),
                numbers.score(line.score),
                line.get_colour_display() if line.colour else numbers.DASH,
                numbers.number(line.weight),
                line.explanation,
            ]
        )
    if export.departments:
        writer.writerow([])
        writer.writerow(["department", "overall score", "colour", "change", "customers net"])
        writer.writerows(_department_row(name, card) for name, card in export.departments)
    writer.writerow([])
    writer.writerow(["trend period", "overall score"])
    writer.writerows((p.label, numbers.score(v)) for p, v in export.trend)
    return buffer.getvalue().encode("utf-8-sig")


def _trend_drawing(trend: Sequence[tuple[Period, Decimal | None]]) -> Drawing:
    drawing = Drawing(16 * cm, 6 * cm)
    points = [(i, float(v)) for i, (_, v) in enumerate(trend) if v is not None]
    drawing.add(String(0, 6 * cm - 12, "Overall score, last periods", fontSize=10))
    if not points:
        drawing.add(String(4 * cm, 3 * cm, "No snapshots yet", fontSize=10))
        return drawing
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 25, 16 * cm - 50, 6 * cm - 50
    plot.data = [points]
    plot.lines[0].strokeColor = colors.black
    plot.lines[0].strokeWidth = 1.5
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 25
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.3, len(trend) - 0.7
    plot.xValueAxis.valueSteps = list(range(len(trend)))
    labels = [p.label for p, _ in trend]
    plot.xValueAxis.labelTextFormat = lambda i: labels[int(i)] if 0 <= int(i) < len(labels) else ""
    drawing.add(plot)
    return drawing


def _table(rows: list[list], header: bool = True, numeric_from: int | None = None, extra=(), widths=None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *extra,
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")))
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def _lines_table(lines: Sequence[ScorecardLine], small) -> Table:
    """Every line; segment, loss-reason and breakdown lines indented under their part, checks shaded."""
    indented = small.clone("indented", leftIndent=10)
    rows: list[list] = [["Part", "Value", "Score", "Weight", "Explanation"]]
    extra = []
    for row, line in enumerate(lines, start=1):
        label = line.label
        if line.part in (ScorecardLine.Part.BREAKDOWN, ScorecardLine.Part.CHECK):
            label += f" ({line.get_part_display().lower()}, no score)"
        if line.part == ScorecardLine.Part.CHECK:
            label = f"Warning: {label}"
            extra.append(("BACKGROUND", (0, row), (-1, row), WARNING))
        rows.append(
            [
                Paragraph(escape(label), indented if line.part in SUB_PARTS else small),
                numbers.line_value(line),
                numbers.score(line.score),
                numbers.number(line.weight),
                Paragraph(escape(line.explanation or ""), small),
            ]
        )
    widths = [4.6 * cm, 2.4 * cm, 1.2 * cm, 1.2 * cm, None]
    return _table(rows, extra=[*extra, ("ALIGN", (1, 1), (3, -1), "RIGHT")], widths=widths)


def scorecard_pdf(*, export: ScorecardExport) -> bytes:
    """The board pack. Uncompressed pages so the text stays searchable by simple tools."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=9)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{export.name} scorecard {export.period}",
        pageCompression=0,
        invariant=1,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    )
    story = [
        Paragraph(escape(f"{export.name}: scorecard {export.period.label}"), styles["Title"]),
        Paragraph(f"{numbers.day(export.period.start)} to {numbers.day(export.period.end)}", styles["Normal"]),
        Spacer(1, 0.4 * cm),
        _table([[label, value] for label, value in _summary(export.scorecard, export.period)], header=False),
        Spacer(1, 0.4 * cm),
        _trend_drawing(export.trend),
    ]
    if export.lines:
        story += [Paragraph("How the score was reached", styles["Heading2"]), _lines_table(export.lines, small)]
    if export.departments:
        story += [Paragraph("Departments", styles["Heading2"])]
        rows = [["Department", "Score", "Colour", "Change", "Customers net"]]
        rows += [_department_row(name, card) for name, card in export.departments]
        story.append(_table(rows, numeric_from=1))
    doc.build(story)
    return buffer.getvalue()
