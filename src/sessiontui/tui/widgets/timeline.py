"""The review's timing: planned against actual as a chart and as a table, and the log in words.

`timeline_lines` draws the chart as one rich `Text` per line for a given width, and
`timing_cells` words one row of the table; both are pure, so the tests read them without a
screen. `TimelineChart` draws the lines in `render()`, so a resize redraws it to the new width.
The chart's geometry and the overrun marker are the exported minutes' (`minutes.chart`,
`minutes.view`), so the terminal and the HTML page draw the same bars and say "▲" alike.
An overrun is in the error colour and also carries its "▲ +4" in text, and a skipped item says
"skipped", so the chart reads on a monochrome terminal too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Final

from rich.style import Style
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import DataTable, Static

from sessiontui.core.review import (
    clock_text,
    difference_text,
    lateness_text,
    minutes_text,
    span_text,
)
from sessiontui.display import user_line
from sessiontui.minutes import chart
from sessiontui.minutes.view import flag_of, short_overrun_mark

if TYPE_CHECKING:
    from textual.visual import VisualType

    from sessiontui.core.review import ItemTiming, SessionState, Timing

PLAN_CELL: Final = "░"
ACTUAL_CELL: Final = "█"
OVER_CELL: Final = "▓"
"""The three bar cells differ in shape as well as colour, so the chart reads without colour."""

_MINUTE: Final = dt.timedelta(minutes=1)
_TICK_GAP: Final = 7
"""Columns at least between two time labels ("13:00" and a space, and a little air)."""
_MARK_WIDTH: Final = 9
"""Room after the latest bar for its mark ("▲ +12", "skipped")."""


# ---------------------------------------------------------------------------- the summary


def summary_parts(timing: Timing) -> list[str]:
    """How the run went, in parts: "Finished", "started 13:02, 2 min late", "paused 3 min"."""
    if timing.state == "planned" or timing.started_at is None:
        planned = f"{clock_text(timing.planned_start)}–{clock_text(timing.planned_end)}"
        return ["Not run yet", f"planned {planned}"]
    parts = ["Finished" if timing.state == "finished" else "Not finished"]
    parts.append(
        f"started {clock_text(timing.started_at)}, "
        + lateness_text(timing.start_late, what="").strip()
    )
    if timing.finished_at is not None:
        parts.append(
            f"finished {clock_text(timing.finished_at)}, "
            + lateness_text(timing.drift, what="").strip()
        )
    if timing.paused_for >= dt.timedelta(seconds=1):
        parts.append(f"paused {span_text(timing.paused_for)}")
    return parts


def summary_line(timing: Timing) -> str:
    """ "Finished · started 13:02, 2 min late · finished 15:59, 1 min early · paused 3 min"."""
    return " · ".join(summary_parts(timing))


class SummaryLine(Widget):
    """The summary on one line, or broken between its parts when the screen is narrow."""

    DEFAULT_CSS = """
    SummaryLine {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[str] = []

    def show(self, parts: list[str]) -> None:
        """Show these parts (an empty list shows nothing)."""
        self.parts = parts
        self.refresh(layout=True)

    def lines(self, width: int) -> list[str]:
        """The parts joined by " · ", a new line wherever the next part would not fit."""
        lines: list[str] = []
        for part in self.parts:
            if lines and len(lines[-1]) + 3 + len(part) <= width:
                lines[-1] += f" · {part}"
            else:
                lines.append(part)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> VisualType:
        text = "\n".join(self.lines(self.content_region.width))
        return Text(text, end="", no_wrap=True, overflow="ellipsis")


# ---------------------------------------------------------------------------- the chart


@dataclass(frozen=True, slots=True)
class ChartStyles:
    """The styles of the chart's parts (the widget fills them from the theme)."""

    plan: Style | str = "dim"
    actual: Style | str = "bold"
    over: Style | str = "bold"
    axis: Style | str = "dim"
    skipped: Style | str = "italic dim"


def timeline_lines(timing: Timing, width: int, styles: ChartStyles | None = None) -> list[Text]:
    """The chart, one `Text` per line, `width` cells wide (wider only when `width` is tiny).

    A legend, the time axis, then two lines per item: its title and the plan bar, then what
    happened and the actual bar, whose part beyond the plan is drawn in the over style and
    marked "▲ +4". Where everything goes is `minutes.chart`'s geometry, the HTML chart's too;
    this only turns its minutes into cells.
    """
    styles = styles or ChartStyles()
    lines: list[Text] = []
    legend = Text(no_wrap=True, overflow="crop", end="")
    legend.append(PLAN_CELL * 2, styles.plan)
    legend.append(" planned  ")
    legend.append(ACTUAL_CELL * 2, styles.actual)
    legend.append(" actual  ")
    legend.append(OVER_CELL * 2, styles.over)
    legend.append(" over the plan (+min)")
    lines.append(legend)
    if not timing.items:
        lines.append(Text("No agenda items.", style="dim", end=""))
        return lines
    label_width = min(30, max(12, width // 4))
    columns = max(4, width - label_width - 1 - _MARK_WIDTH)
    drawn = chart.chart_of(timing, tick_gaps=columns / _TICK_GAP)
    cells = _Cells(drawn.axis, columns)
    lines.extend(_axis(drawn.axis, cells, label_width=label_width, styles=styles))
    for bar in drawn.bars:
        title = Text(no_wrap=True, overflow="crop", end="")
        label = Text(bar.title, end="")
        label.truncate(label_width, overflow="ellipsis", pad=True)
        title.append_text(label)
        title.append(" ")
        left, right = cells.bar(bar.plan_from, bar.plan_length)
        title.append(" " * left)
        title.append(PLAN_CELL * (right - left), styles.plan)
        lines.append(title)
        lines.append(_actual_line(bar, label_width, cells, styles))
    return lines


@dataclass(frozen=True, slots=True)
class _Cells:
    """The chart's minutes as terminal columns: the axis spread over `columns` cells."""

    axis: chart.Axis
    columns: int

    def column(self, minutes: float) -> int:
        """The cell a moment `minutes` after the axis start falls in."""
        return max(0, min(self.columns, round(self.axis.fraction(minutes) * self.columns)))

    def bar(self, start: float, length: float) -> tuple[int, int]:
        """The cells a bar covers, left inclusive, right exclusive; at least one if it lasted."""
        left = self.column(start)
        return left, max(left + (1 if length > 0 else 0), self.column(start + length))


def _axis(axis: chart.Axis, cells: _Cells, *, label_width: int, styles: ChartStyles) -> list[Text]:
    labels = [" "] * (cells.columns + 6)
    rule = ["─"] * (cells.columns + 1)
    free_from = 0
    for tick in axis.ticks:
        at = cells.column(tick.at)
        rule[at] = "┬"
        # A label that would run into the one before is left out; its tick still shows.
        if at >= free_from:
            for offset, char in enumerate(tick.label):
                labels[at + offset] = char
            free_from = at + len(tick.label) + 1
    pad = " " * (label_width + 1)
    return [
        Text(pad + "".join(labels).rstrip(), style=styles.axis, no_wrap=True, end=""),
        Text(pad + "".join(rule), style=styles.axis, no_wrap=True, end=""),
    ]


def _actual_line(bar: chart.Bar, label_width: int, cells: _Cells, styles: ChartStyles) -> Text:
    row = bar.row
    line = Text(no_wrap=True, overflow="crop", end="")
    reached = bar.actual_from is not None and not bar.skipped
    said = minutes_text(row.planned)
    if reached:
        said += f" → {minutes_text(row.actual)}"
    if row.change == "unplanned":
        said = f"unplanned → {minutes_text(row.actual)}" if reached else "unplanned"
    label = Text(f"  {said}", style="dim")
    # A dropped item was taken off the agenda before the room reached it.
    skipped = "dropped" if row.dropped else "skipped"
    if bar.skipped:
        label = Text(f"  {skipped}", style=styles.skipped)
    label.truncate(label_width, overflow="ellipsis", pad=True)
    line.append_text(label)
    line.append(" ")
    if bar.actual_from is None or bar.actual_length is None or bar.skipped:
        # Never reached, or skipped: nothing ran, so the word stands where the plan began.
        line.append(" " * cells.column(bar.plan_from))
        if bar.skipped:
            line.append(skipped, styles.skipped)
        return line
    left, right = cells.bar(bar.actual_from, bar.actual_length)
    over_from = right
    if bar.over_from is not None:
        over_from = max(left, min(right, cells.column(bar.over_from)))
        # An overrun shorter than a cell still gets one: the mark beside it needs its bar.
        if over_from == right and right > left:
            over_from = right - 1
    line.append(" " * left)
    line.append(ACTUAL_CELL * (over_from - left), styles.actual)
    line.append(OVER_CELL * (right - over_from), styles.over)
    difference = row.duration_difference
    if bar.over:
        line.append(f" {short_overrun_mark(bar)}", styles.over)
    elif difference is not None and difference <= -_MINUTE and row.state != "current":
        line.append(f" −{round(-difference / _MINUTE)}", styles.plan)
    if row.state == "current":
        line.append(" running", styles.plan)
    return line


class TimelineChart(Widget):
    """Planned against actual, a pair of bars per agenda item on one time axis."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--plan",
        "timeline--actual",
        "timeline--over",
        "timeline--axis",
        "timeline--skipped",
    }

    DEFAULT_CSS = """
    TimelineChart {
        height: auto;
    }
    TimelineChart > .timeline--plan { color: $text-muted; }
    TimelineChart > .timeline--actual { color: $accent; }
    TimelineChart > .timeline--over { color: $error; text-style: bold; }
    TimelineChart > .timeline--axis { color: $text-muted; }
    TimelineChart > .timeline--skipped { color: $text-muted; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timing: Timing | None = None

    def show(self, timing: Timing) -> None:
        """Draw this timing (its height follows the number of items)."""
        self.timing = timing
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.timing is None:
            return 0
        return 3 + 2 * len(self.timing.items) if self.timing.items else 2

    def render(self) -> VisualType:
        if self.timing is None:
            return ""
        styles = ChartStyles(
            plan=self.get_component_rich_style("timeline--plan"),
            actual=self.get_component_rich_style("timeline--actual"),
            over=self.get_component_rich_style("timeline--over"),
            axis=self.get_component_rich_style("timeline--axis"),
            skipped=self.get_component_rich_style("timeline--skipped"),
        )
        lines = timeline_lines(self.timing, self.content_region.width, styles)
        return Text("\n", end="", no_wrap=True, overflow="crop").join(lines)


# ---------------------------------------------------------------------------- the table


COLUMNS: Final[dict[str, tuple[str, int]]] = {
    "item": ("Item", 0),
    "planned": ("Planned", 7),
    "started": ("Started", 7),
    "late": ("Late", 7),
    "plan": ("Plan", 7),
    "took": ("Took", 7),
    "difference": ("Diff", 7),
    "flag": ("", 11),
}
"""Heading and width of each column (0: the width left over)."""

NARROW: Final = ("item", "planned", "started", "plan", "took", "difference", "flag")
"""Under `WIDE_FROM` cells the start's lateness goes: the chart shows it."""
WIDE_FROM: Final = 100


_FLAG_STYLES: Final = {
    "dropped": "italic",
    "skipped": "italic",
    "unplanned": "bold",
    "overran": "bold",
    "running": "",
    "moved": "",
    "not-reached": "dim",
}


def flag_text(row: ItemTiming, state: SessionState) -> Text:
    """What stands out about an item, in the minutes' words: overran, skipped, running, ..."""
    flag = flag_of(row, state)
    if flag is None:
        return Text("", end="")
    return Text(flag.text, style=_FLAG_STYLES[flag.kind], end="")


def timing_cells(row: ItemTiming, state: SessionState = "finished") -> dict[str, Text]:
    """One item's cells: planned and actual start and length, and how they differ.

    `state` is the session's: only a finished session has items it never reached.
    """
    reached = row.actual_start is not None and row.state != "skipped"
    dim = "dim" if row.state == "skipped" else ""
    over = "bold" if row.overran else ""
    return {
        "item": user_line(row.item.title, dim),
        "planned": Text("—" if row.origin == "inserted" else clock_text(row.planned_start), end=""),
        "started": Text(clock_text(row.actual_start) if reached else "—", end=""),
        "late": Text(difference_text(row.start_difference) if reached else "—", end=""),
        "plan": Text(minutes_text(row.planned), justify="right", end=""),
        "took": Text(minutes_text(row.actual) if reached else "—", justify="right", end=""),
        "difference": Text(
            difference_text(row.duration_difference) if reached else "—", style=over, end=""
        ),
        "flag": flag_text(row, state),
    }


class TimingTable(DataTable[Text]):
    """Each item's planned and actual start and length, and the difference; read-only."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True, show_cursor=False)
        # Nothing to pick: arrows scroll the page around it instead.
        self.can_focus = False
        self.timing: Timing | None = None
        self._layout: tuple[tuple[str, ...], int] = ((), 0)

    def show(self, timing: Timing) -> None:
        """Fill the table with this timing."""
        self.timing = timing
        self._rebuild()

    def _layout_for(self, width: int) -> tuple[tuple[str, ...], int]:
        names = tuple(COLUMNS) if width >= WIDE_FROM else NARROW
        # Each column has a cell of padding either side; the scrollbar may take two more.
        fixed = sum(COLUMNS[name][1] + 2 for name in names if name != "item")
        return names, max(12, width - fixed - 4)

    def _rebuild(self) -> None:
        timing = self.timing
        if timing is None:
            return
        width = self.size.width or self.app.size.width
        self._layout = names, title_width = self._layout_for(width)
        self.clear(columns=True)
        for name in names:
            heading, column_width = COLUMNS[name]
            self.add_column(heading, width=column_width or title_width, key=name)
        for row in timing.items:
            cells = timing_cells(row, timing.state)
            cells["item"].truncate(title_width, overflow="ellipsis")
            self.add_row(*(cells[name] for name in names), key=row.item.id)

    def on_resize(self, event: Resize) -> None:
        if self._layout_for(event.size.width) != self._layout:
            self._rebuild()


# ---------------------------------------------------------------------------- the log


def log_text(timing: Timing) -> Text:
    """The start, the pauses, extends, skips, replans and broadcasts, and the finish, by time."""
    if timing.state == "planned":
        return Text("Not run yet: nothing in the log.", style="dim", end="")
    entries: list[tuple[dt.datetime, Text]] = []
    if timing.started_at is not None:
        started = lateness_text(timing.start_late, what="Started")
        entries.append((timing.started_at, Text(started, end="")))
    entries.extend((line.at, user_line(line.text)) for line in timing.log)
    if timing.finished_at is not None:
        finished = lateness_text(timing.drift, what="Finished")
        entries.append((timing.finished_at, Text(finished, end="")))
    entries.sort(key=lambda entry: entry[0])
    text = Text(end="")
    for index, (at, said) in enumerate(entries):
        if index:
            text.append("\n")
        text.append(f"{clock_text(at)}  ", style="bold")
        text.append_text(said)
    return text


class LogView(Static):
    """The log of the run in words, one event a line with its time."""

    def show(self, timing: Timing) -> None:
        """Show this timing's log."""
        self.update(log_text(timing))
