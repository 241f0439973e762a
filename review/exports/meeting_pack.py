"""A meeting pack as PDF: the same sections as its page (review.meeting_pack), one table each."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.periods import Period
from review import numbers
from review.meeting_pack import Section


def _table(rows: list[list], style) -> Table:
    cells = [[Paragraph(escape(str(cell)), style) for cell in row] for row in rows]
    table = Table(cells, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
            ]
        )
    )
    return table


def meeting_pack_pdf(
    *, name: str, period: Period, sections: list[Section], opening: list[tuple[str, str, str]] = ()
) -> bytes:
    """The pack, landscape A4. Uncompressed pages so the text stays searchable by simple tools."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9.5)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"{name}: meeting pack {period}",
        pageCompression=0,
        invariant=1,
        leftMargin=1.2 * cm,
        rightMargin=1.2 * cm,
    )
    story = [
        Paragraph(escape(f"{name}: meeting pack {period.label}"), styles["Title"]),
        Paragraph(f"{numbers.day(period.start)} to {numbers.day(period.end)}", styles["Normal"]),
        Spacer(1, 0.3 * cm),
    ]
    if opening:
        story += [
            Paragraph("Customers in, out and net", styles["Heading2"]),
            _table([["", "Customers", "Yearly profit"], *[list(row) for row in opening]], small),
        ]
    for section in sections:
        story += [Paragraph(escape(section.question), styles["Heading2"]), Paragraph(escape(section.summary), small)]
        story.append(Spacer(1, 0.15 * cm))
        if section.rows:
            story.append(_table([section.columns, *section.rows], small))
        else:
            story.append(Paragraph(escape(section.empty), small))
    doc.build(story)
    return buffer.getvalue()
