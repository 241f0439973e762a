"""Server-side SVG charts: values placed on the 0-100 scale, gaps for missing periods, text escaped."""

from decimal import Decimal

from review import charts


def test_trend_draws_a_point_per_scored_period_and_leaves_gaps():
    svg = charts.trend_svg(
        labels=["2026-Q1", "2026-Q2", "2026-Q3"], series=[("Sales", [Decimal(50), None, Decimal(100)])]
    )
    assert svg.count("<circle") == 2
    assert ">50.0</text>" in svg and ">100.0</text>" in svg and "2026-Q2" in svg


def test_trend_without_any_snapshot_says_so():
    assert "No snapshots yet" in charts.trend_svg(labels=["2026-Q1"], series=[("Company", [None])])


def test_chart_text_is_escaped():
    svg = charts.trend_svg(labels=["<b>"], series=[('<script>alert("x")</script>', [Decimal(1)])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    bars = charts.attainment_svg(rows=[("<i>NPS</i>", Decimal(40), Decimal(50), Decimal(30), "pts")])
    assert "<i>" not in bars and "&lt;i&gt;NPS" in bars


def test_attainment_colours_follow_the_direction_of_the_metric():
    higher = charts.attainment_svg(rows=[("FCR", Decimal(75), Decimal(80), Decimal(70), "%")])
    lower = charts.attainment_svg(rows=[("Complaints", Decimal("4.2"), Decimal(5), Decimal(8), "")])
    red = charts.attainment_svg(rows=[("Complaints", Decimal(9), Decimal(5), Decimal(8), "")])
    assert charts.COLOURS["amber"] in higher and charts.COLOURS["green"] in lower and charts.COLOURS["red"] in red
    assert "no readings" in charts.attainment_svg(rows=[("FCR", None, Decimal(80), Decimal(70), "%")])
