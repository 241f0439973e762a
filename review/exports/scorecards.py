"""A scorecard as a board pack (PDF, with its trend chart) and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accountability.models import Scorecard, ScorecardLine
from core.periods import Period

HEALTH = {"green": colors.HexColor("#2e7d32"), "amber": colors.HexColor("#ef8f00"), "red": colors.HexColor("#c62828")}


@dataclass
class ScorecardExport:
    """What a board pack shows: one scope's snapshot, its lines, its trend, and (company) the departments."""

    name: str
    period: Period
    scorecard: Scorecard | None
    lines: Sequence[ScorecardLine]
    trend: Sequence[tuple[Period, Decimal | None]]
    departments: Sequence[tuple[str, Scorecard | None]] = ()


def _fmt(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    return str(value)


def _summary(card: Scorecard | None) -> list[tuple[str, object]]:
    if card is None:
        return [("Overall score", "no snapshot computed")]
    return [
        ("Overall score", f"{_fmt(card.overall_score)} ({card.get_overall_colour_display()})"),
        ("Change vs previous period", _fmt(card.change)),
        ("Delivery score", _fmt(card.delivery_score)),
        ("Metrics score", _fmt(card.metrics_score)),
        ("Customer growth score", _fmt(card.growth_score)),
        (
            "Tasks due / on time / late / overdue",
            f"{card.tasks_due} / {card.tasks_on_time} / {card.tasks_late} / {card.tasks_overdue}",
        ),
        ("Tasks blocked / stale", f"{card.tasks_blocked} / {card.tasks_stale}"),
        ("Customers gained / lost / net", f"{card.customers_gained} / {card.customers_lost} / {card.customers_net}"),
        ("Revenue gained / lost", f"{card.revenue_gained} / {card.revenue_lost}"),
        ("Profit gained / lost", f"{card.profit_gained} / {card.profit_lost}"),
    ]


def scorecard_csv(*, export: ScorecardExport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["scope", export.name])
    writer.writerow(["period", export.period.label])
    for label, value in _summary(export.scorecard):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow(["part", "label", "value", "score", "colour", "weight", "explanation"])
    for line in export.lines:
        writer.writerow(
            [
                line.part,
                line.label,
                _fmt(line.value),
                _fmt(line.score),
                line.colour,
                _fmt(line.weight),
                line.explanation,
            ]
        )
    if export.departments:
        writer.writerow([])
        writer.writerow(["department", "overall score", "colour", "change", "customers net"])
        for name, card in export.departments:
            writer.writerow(
                [
                    name,
                    _fmt(getattr(card, "overall_score", None)),
                    getattr(card, "overall_colour", ""),
                    _fmt(getattr(card, "change", None)),
                    _fmt(getattr(card, "customers_net", None)),
                ]
            )
    trend = [(p.label, _fmt(v)) for p, v in export.trend]
    writer.writerow([])
    writer.writerow(["trend period", "overall score"])
    writer.writerows(trend)
    return buffer.getvalue().encode("utf-8")


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


def _table(rows: list[list], header: bool = True) -> Table:
    table = Table(rows, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")))
    table.setStyle(TableStyle(style))
    return table


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
        Paragraph(f"{export.name}: scorecard {export.period.label}", styles["Title"]),
        Paragraph(f"{export.period.start:%d %B %Y} to {export.period.end:%d %B %Y}", styles["Normal"]),
        Spacer(1, 0.4 * cm),
        _table([[label, str(value)] for label, value in _summary(export.scorecard)], header=False),
        Spacer(1, 0.4 * cm),
        _trend_drawing(export.trend),
    ]
    if export.lines:
        story += [Paragraph("How the score was reached", styles["Heading2"])]
        rows = [["Part", "Value", "Score", "Weight", "Explanation"]]
        rows += [
            [
                Paragraph(line.label, small),
                _fmt(line.value),
                _fmt(line.score),
                _fmt(line.weight),
                Paragraph(line.explanation or "", small),
            ]
            for line in export.lines
        ]
        story.append(_table(rows))
    if export.departments:
        story += [Paragraph("Departments", styles["Heading2"])]
        rows = [["Department", "Score", "Colour", "Change", "Customers net"]]
        rows += [
            [
                name,
                _fmt(getattr(c, "overall_score", None)),
                getattr(c, "overall_colour", "") or "-",
                _fmt(getattr(c, "change", None)),
                _fmt(getattr(c, "customers_net", None)),
            ]
            for name, c in export.departments
        ]
        story.append(_table(rows))
    doc.build(story)
    return buffer.getvalue()
