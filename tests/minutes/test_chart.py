"""One chart geometry and one overrun marker, wherever planned-against-actual is drawn.

The SVG of the HTML minutes and the terminal timeline of the review are read back as drawn
(rectangles in view-box units, cells in columns) and must put every bar at the same place
along the same time axis, within a cell; an overrun carries the same "▲" in the SVG, the
terminal chart, and the tables of the Markdown, the HTML and the review screen.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from recorded import recorded_example
from sessiontui.core import review
from sessiontui.minutes import chart, html, markdown, view
from sessiontui.tui.widgets.timeline import (
    ACTUAL_CELL,
    OVER_CELL,
    PLAN_CELL,
    timeline_lines,
    timing_cells,
)

SVG_PLOT = (6.0, 394.0)
"""Where the SVG's time axis starts and ends in the 400-unit view box."""


def recorded_timing() -> review.Timing:
    return review.timing(recorded_example())


def test_the_geometry_of_the_recorded_afternoon() -> None:
    drawn = chart.chart_of(recorded_timing())
    axis = drawn.axis
    assert (axis.start.strftime("%H:%M"), axis.span, axis.step) == ("13:00", 180.0, 30)
    assert [tick.label for tick in axis.ticks] == [
        "13:00",
        "13:30",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
        "16:00",
    ]
    coffee = drawn.bars[2]
    assert (coffee.number, coffee.title) == (3, "Randomised Coffee Trial")
    assert (coffee.plan_from, coffee.plan_length) == (15.0, 15.0)
    assert (coffee.actual_from, coffee.actual_length, coffee.over) == (16.0, 19.0, 4.0)
    assert coffee.over_from == 31.0
    # The talk paused for 3 minutes: its bar is its active 19, and the pause is the gap after.
    talk, breakout = drawn.bars[4], drawn.bars[5]
    assert talk.actual_from is not None and talk.actual_length == 19.0
    assert breakout.actual_from == talk.actual_from + talk.actual_length + 3
    plenary = drawn.bars[6]
    assert plenary.skipped and plenary.over == 0 and plenary.over_from is None


def test_the_tick_step_is_the_smallest_that_leaves_the_medium_its_gaps() -> None:
    timing = recorded_timing()
    assert chart.chart_of(timing, tick_gaps=6).axis.step == 30
    assert chart.chart_of(timing, tick_gaps=80 / 7).axis.step == 20
    assert chart.chart_of(timing, tick_gaps=1).axis.step == 180
    for gaps in (1, 2.5, 6, 11.4, 40):
        axis = chart.chart_of(timing, tick_gaps=gaps).axis
        # The axis starts and ends on a tick, and holds the whole afternoon.
        assert axis.span % axis.step == 0
        assert axis.ticks[0].at == 0 and axis.ticks[-1].at == axis.span
        assert axis.start <= timing.planned_start
        assert axis.start + dt.timedelta(minutes=axis.span) >= timing.planned_end


def svg_bars(page: str) -> dict[str, dict[str, tuple[float, float]]]:
    """Each item's rectangles in the page's SVG, as fractions of the time axis."""
    left, right = SVG_PLOT
    found: dict[str, dict[str, tuple[float, float]]] = {}
    for item, body in re.findall(r'<g class="item" data-item="([^"]+)">(.*?)</g>', page, re.S):
        found[item] = {
            kind: (
                (float(x) - left) / (right - left),
                (float(x) + float(w) - left) / (right - left),
            )
            for kind, x, w in re.findall(
                r'<rect class="(\w+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', body
            )
        }
    return found


def cells(line: str, start: int, kinds: str) -> tuple[int, int] | None:
    """Where a run of `kinds` cells begins and ends in a chart line, from the bars' column."""
    at = [index for index, char in enumerate(line) if char in kinds]
    return None if not at else (at[0] - start, at[-1] + 1 - start)


@pytest.mark.parametrize("width", [80, 120, 160])
def test_the_terminal_timeline_and_the_svg_draw_the_same_bars(width: int) -> None:
    timing = recorded_timing()
    drawn = svg_bars(html.render(recorded_example()))
    lines = [line.plain for line in timeline_lines(timing, width)]
    label_width = min(30, max(12, width // 4))
    columns = width - label_width - 1 - 9
    start = label_width + 1
    one_cell = 1 / columns

    def near(got: tuple[int, int], expected: tuple[float, float]) -> bool:
        # A cell is the terminal's resolution; the SVG's is a tenth of a unit.
        return all(
            abs(cell / columns - fraction) <= one_cell + 0.001
            for cell, fraction in zip(got, expected, strict=True)
        )

    for row in timing.items:
        svg = drawn[row.item.id]
        plan_line, actual_line = lines[3 + 2 * row.index], lines[4 + 2 * row.index]
        plan = cells(plan_line, start, PLAN_CELL)
        assert plan is not None and near(plan, svg["plan"]), row.item.title
        actual = cells(actual_line, start, ACTUAL_CELL + OVER_CELL)
        if row.state == "skipped":
            # The SVG marks the moment with a hairline; the terminal says the word instead.
            assert actual is None and "skipped" in actual_line[start:]
            assert "actual" in svg
            continue
        assert actual is not None and near(actual, svg["actual"]), row.item.title
        over = cells(actual_line, start, OVER_CELL)
        assert (over is None) == ("over" not in svg), row.item.title
        if over is not None:
            assert near(over, svg["over"]), row.item.title

    # The same axis: its first and last labels at the two ends of both charts.
    page = html.render(recorded_example())
    svg_ticks = re.findall(r'text-anchor="(\w+)">(\d\d:\d\d)</text>', page)
    assert svg_ticks[0] == ("start", "13:00") and svg_ticks[-1] == ("end", "16:00")
    assert lines[1][start:].startswith("13:00")
    assert lines[1].rstrip().endswith("16:00")
    assert len(lines[2]) - start == columns + 1


def test_an_overrun_carries_the_same_marker_everywhere() -> None:
    session = recorded_example()
    timing = review.timing(session)
    drawn = chart.chart_of(timing)
    overran = [bar for bar in drawn.bars if bar.over]
    assert [bar.number for bar in overran] == [3, 6, 13]
    assert view.OVERRAN.startswith(view.OVERRUN_MARK)

    page = html.render(session)
    svg_marks = re.findall(r'<tspan class="mark"[^>]*>([^<]+)</tspan>', page)
    assert svg_marks == [view.bar_mark(bar) for bar in drawn.bars if view.bar_mark(bar)]
    assert [m for m in svg_marks if m.startswith(view.OVERRUN_MARK)] == [
        f"{view.OVERRUN_MARK} +{round(bar.over)} min over" for bar in overran
    ]
    assert f"overran (also marked {view.OVERRUN_MARK})" in page
    assert page.count(f'<span class="flag overran">{view.OVERRAN}</span>') == len(overran)

    lines = [line.plain for line in timeline_lines(timing, 120)]
    marked = [line for line in lines if view.OVERRUN_MARK in line]
    assert [line.rstrip().rsplit(OVER_CELL, 1)[1] for line in marked] == [
        f" {view.OVERRUN_MARK} +{round(bar.over)}" for bar in overran
    ]

    md = markdown.render(session)
    assert md.count(f"| {view.OVERRAN} |") == len(overran)
    assert md.count(f"  {view.OVERRUN_MARK} +") == len(overran)  # the monospace chart

    flags = [timing_cells(row, timing.state)["flag"].plain for row in timing.items]
    assert [n + 1 for n, flag in enumerate(flags) if flag == view.OVERRAN] == [
        bar.number for bar in overran
    ]
