"""Server-side SVG charts: no JavaScript, no internet, readable printed (black text, dashes).

Each function returns safe markup to drop into a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from review import numbers

COLOURS = {"green": "#2e7d32", "amber": "#ef8f00", "red": "#c62828", "": "#777"}
SERIES_STYLES = (("#1f4e79", ""), ("#555", "6 4"), ("#8e44ad", "2 3"))


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def trend_svg(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | float | None]]],
    green_from: float = 80,
    amber_from: float = 50,
    title: str = "Overall score, last periods",
) -> SafeString:
    """A 0-100 line chart of scores per period, with the green/amber/red bands behind it."""
    width, height, left, right, top, bottom = 660, 270, 40, 36, 38, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def y(v: float) -> float:
        return round(top + plot_h * (1 - max(0.0, min(100.0, v)) / 100), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="{y(100)}" width="{plot_w}" height="{y(green_from) - y(100):.1f}" fill="#e8f5e9"/>',
        f'<rect x="{left}" y="{y(green_from)}" width="{plot_w}" height="{y(amber_from) - y(green_from):.1f}" '
        'fill="#fff3e0"/>',
        f'<rect x="{left}" y="{y(amber_from)}" width="{plot_w}" height="{y(0) - y(amber_from):.1f}" fill="#ffebee"/>',
    ]
    for tick in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick)}" y2="{y(tick)}" stroke="#ccc"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11">{tick}</text>')
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    for n, (name, values) in enumerate(series):
        colour, dash = SERIES_STYLES[n % len(SERIES_STYLES)]
        points = [(left + i * step, y(v)) for i, v in enumerate(map(_num, values)) if v is not None]
        raw = [(left + i * step, v) for i, v in enumerate(map(_num, values)) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{py:.1f}" for x, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        for (x, py), (_, v) in zip(points, raw, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
            label_y = py - 7 if _on_top(series, n, round((x - left) / step)) else py + 15
            parts.append(
                f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="middle" font-size="10">{numbers.score(v)}</text>'
            )
        parts.append(
            f'<line x1="{left + n * 180}" x2="{left + n * 180 + 24}" y1="14" y2="14" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{left + n * 180 + 30}" y="18" font-size="12">{escape(name)}</text>'
        )
    if not any(v is not None for _, values in series for v in values):
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="13">No snapshots yet</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def _on_top(series, n: int, i: int) -> bool:
    """Whether series n is the highest at period i: its label goes above the point, else below."""
    mine = _num(series[n][1][i])
    others = [_num(values[i]) for k, (_, values) in enumerate(series) if k != n and values[i] is not None]
    return mine is None or all(mine >= o for o in others)


def attainment_svg(*, rows: Sequence[tuple[str, Decimal | None, Decimal, Decimal, str]]) -> SafeString:
    """Bullet bars: each metric's value against its target (solid tick) and amber threshold (dashed).

    rows: (label, value, target, amber threshold, unit).
    """
    width, row_h, left, right = 700, 34, 220, 120
    height = max(row_h * len(rows) + 24, 60)
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart attainment" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Metrics against targets">',
        "<title>Metrics against targets</title>",
    ]
    for i, (label, value, target, amber, unit) in enumerate(rows):
        top = 10 + i * row_h
        scale_max = max(float(target), float(amber), _num(value) or 0.0) * 1.2 or 1.0

        def x(v: float, scale_max: float = scale_max) -> float:
            return left + plot_w * v / scale_max

        colour = _attainment_colour(value, target, amber)
        parts.append(f'<text x="{left - 8}" y="{top + 17}" text-anchor="end" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{top + 4}" width="{plot_w}" height="18" fill="#f2f2f2"/>')
        if value is not None:
            parts.append(
                f'<rect x="{left}" y="{top + 7}" width="{x(float(value)) - left:.1f}" height="12" fill="{colour}"/>'
            )
        parts.append(
            f'<line x1="{x(float(target)):.1f}" x2="{x(float(target)):.1f}" y1="{top}" y2="{top + 26}" '
            'stroke="#000" stroke-width="2"/>'
        )
        parts.append(
            f'<line x1="{x(float(amber)):.1f}" x2="{x(float(amber)):.1f}" y1="{top}" y2="{top + 26}" '
            'stroke="#000" stroke-dasharray="3 2"/>'
        )
        shown = "no readings" if value is None else escape(numbers.metric_value(value, unit))
        parts.append(f'<text x="{width - right + 6}" y="{top + 17}" font-size="11">{shown}</text>')
    if not rows:
        parts.append('<text x="20" y="34" font-size="13">No targets for this period</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def _attainment_colour(value: Decimal | None, target: Decimal, amber: Decimal) -> str:
    if value is None:
        return COLOURS[""]
    higher = amber < target
    if (value >= target) if higher else (value <= target):
        return COLOURS["green"]
    if (value >= amber) if higher else (value <= amber):
        return COLOURS["amber"]
    return COLOURS["red"]


STATUS_FILL = {
    "not_started": "#ffffff",
    "in_progress": "#90caf9",
    "blocked": "#c62828",
    "done": "#2e7d32",
    "cancelled": "#bdbdbd",
}


def timeline_svg(*, timeline) -> SafeString:
    """An initiative's tasks as marks on department lanes by due date, hand-offs as arrows.

    Late hand-offs (the task waited on is overdue) are red, dashed and labelled "late".
    """
    lane_h, left, right, top = 56, 170, 30, 34
    width = 900
    height = top + lane_h * max(len(timeline.lanes), 1) + 30
    span = max((timeline.end - timeline.start).days, 1)
    plot_w = width - left - right

    def x(day) -> float:
        return left + plot_w * (day - timeline.start).days / span

    where: dict[int, tuple[float, float]] = {}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Timeline">',
        "<title>Tasks by department and due date; arrows are hand-offs</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker>'
        '<marker id="arrow-late" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker></defs>',
        f'<text x="{left}" y="16" font-size="11">{numbers.day(timeline.start)}</text>',
        f'<text x="{width - right}" y="16" font-size="11" text-anchor="end">{numbers.day(timeline.end)}</text>',
    ]
    for n, (department, tasks) in enumerate(timeline.lanes):
        lane_y = top + n * lane_h
        parts.append(
            f'<rect x="0" y="{lane_y}" width="{width}" height="{lane_h}" fill="{"#fafafa" if n % 2 else "#fff"}"/>'
        )
        parts.append(
            f'<text x="8" y="{lane_y + lane_h / 2 + 4}" font-size="12" font-weight="bold">'
            f"{escape(department.name)}</text>"
        )
        for k, task in enumerate(tasks):
            cx, cy = x(task.due_date), lane_y + 18 + (k % 2) * 18
            where[task.pk] = (cx, cy)
            fill = STATUS_FILL.get(task.status, "#fff")
            parts.append(
                f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{fill}" stroke="#000" '
                f'transform="rotate(45 {cx:.1f} {cy:.1f})"><title>{escape(task.title)} '
                f"due {numbers.day(task.due_date)} "
                f"({task.get_status_display()})</title></rect>"
            )
            parts.append(f'<text x="{cx + 8:.1f}" y="{cy + 4:.1f}" font-size="10">{escape(task.title[:28])}</text>')
    if timeline.start <= timeline.today <= timeline.end:
        tx = x(timeline.today)
        parts.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 8}" y2="{height - 20}" '
            'stroke="#000" stroke-dasharray="2 2"/>'
        )
        parts.append(f'<text x="{tx:.1f}" y="{top - 12}" font-size="10" text-anchor="middle">today</text>')
    for hand_off in timeline.hand_offs:
        (x1, y1), (x2, y2) = where[hand_off.source.pk], where[hand_off.target.pk]
        late = hand_off.late
        colour, dash, marker = ("#c62828", "5 3", "arrow-late") if late else ("#333", "", "arrow")
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        end_x, end_y = x2 - 8 * (x2 - x1) / length, y2 - 8 * (y2 - y1) / length  # stop at the diamond's edge
        parts.append(
            f'<path class="hand-off{" late" if late else ""}" d="M{x1:.1f},{y1:.1f} L{end_x:.1f},{end_y:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}" marker-end="url(#{marker})"/>'
        )
        if late:
            parts.append(
                f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" font-size="10" fill="#c62828">late</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
