"""The agenda as it runs: every item's plan and what really happened, and the item after this one.

`agenda_rows` turns a `schedule.RunState` into the cells of each row (pure, so it is tested
without a screen); `AgendaTable` shows them and touches only the cells that changed, so the
once-a-second tick costs nothing until a row really changes (the current item's running time
changes once a minute). The current row is the table's cursor, styled from the theme in
app.tcss, and also carries a "▶" marker so it never rests on colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowKey

from sessiontui.core import item_kinds
from sessiontui.display import user_line

if TYPE_CHECKING:
    from sessiontui.core.schedule import ItemRun, RunState


MARKERS: Final[dict[str, str]] = {"current": "▶", "done": "✓", "skipped": "–", "pending": ""}
"""The first column of each row: where the run is, in a symbol as well as a word."""

_MINUTE = dt.timedelta(minutes=1)


def kind_label(kind: str, style: str = "") -> Text:
    """The kind of an item as a word."""
    # The kind as a word from its registry entry, so the kind never rests on colour alone.
    return user_line(item_kinds.kind(kind).label, style)


def hhmm(moment: dt.datetime | None, zone: tzinfo) -> str:
    """A moment as wall-clock "13:05" in the session's zone; empty for None."""
    return "" if moment is None else f"{moment.astimezone(zone):%H:%M}"


def minutes_of(delta: dt.timedelta) -> int:
    """A duration in whole minutes, to the nearest (half a minute rounds up)."""
    return int((delta + _MINUTE / 2) // _MINUTE)


def took_text(run: ItemRun) -> str:
    """How long an item really took against its plan: "12 min (+2)", "skipped", "4 min so far"."""
    if run.state == "skipped":
        # Skipped before the room reached it: taken off the agenda, not cut short.
        return "dropped" if run.actual_start is None else "skipped"
    if run.state == "pending":
        return ""
    took = minutes_of(run.active)
    if run.state == "current":
        return f"{took} min so far"
    difference = took - run.item.minutes
    return f"{took} min ({'±0' if difference == 0 else f'{difference:+d}'})"


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One agenda item as the table shows it, every cell already worded."""

    key: str
    state: str
    cells: dict[str, Text]


ORIGIN_MARKS: Final[dict[str, str]] = {"inserted": "+ ", "moved": "↕ ", "planned": ""}
"""Put before the title of an item added or moved while running: before it, as a long title
is cut at its end, so the change never rests on colour alone."""

SELECTED: Final = "›"
"""The marker of the upcoming row the agenda keys (drop, move, length) act on."""


def start_cell(run: ItemRun, zone: tzinfo) -> Text:
    """When the item starts as things stand, with the plan's time dim beside it when they differ.

    Done and current items show when they really began; items to come their projected start
    (after every +5, replan, insert, drop and move); a dropped item its planned time, dim.
    """
    planned = hhmm(run.planned_start, zone)
    if run.projected_start is None:
        return Text(f"({planned})", style="dim strike")
    start = hhmm(run.projected_start, zone)
    text = Text(start)
    if run.origin == "inserted":
        text.append(" new", style="dim")
    elif start != planned:
        text.append(f" ({planned})", style="dim")
    return text


COLUMNS: Final[dict[str, tuple[str, int]]] = {
    "marker": ("", 1),
    "start": ("Start (plan)", 13),
    "fixed": ("Fixed", 5),
    "kind": ("Kind", 12),
    "title": ("Title", 0),
    "minutes": ("Min", 3),
    "actual": ("Actual", 11),
    "took": ("Took", 13),
}
"""Every column the table can show: heading and width (0: the width left over)."""

LAYOUTS: Final[tuple[tuple[int, tuple[str, ...]], ...]] = (
    (110, tuple(COLUMNS)),
    (84, ("marker", "start", "kind", "title", "actual", "took")),
    (0, ("marker", "start", "kind", "title", "took")),
)
"""The columns shown by table width: narrower tables drop the fixed, minutes, actual columns."""


def agenda_rows(state: RunState, zone: tzinfo, selected: str | None = None) -> list[AgendaRow]:
    """The table's rows for this moment of the run; `selected` is the upcoming row marked "›"."""
    rows: list[AgendaRow] = []
    for run in state.items:
        item = run.item
        current = run.state == "current"
        emphasis = "bold" if current else ("dim" if run.state == "skipped" else "")
        chosen = item.id == selected and not current
        marker = SELECTED if chosen else MARKERS.get(run.state, "")
        actual = ""
        if run.actual_start is not None:
            actual = f"{hhmm(run.actual_start, zone)}–{hhmm(run.actual_end, zone)}"
        budget = minutes_of(run.budget)
        cells = {
            "marker": Text(marker, style="bold"),
            "start": start_cell(run, zone),
            "fixed": Text("fixed" if item.at is not None else "", style="bold"),
            "kind": kind_label(item.kind, emphasis),
            "title": _title(run, f"{emphasis} reverse" if chosen else emphasis),
            "minutes": Text(str(budget) + ("*" if budget != item.minutes else ""), justify="right"),
            "actual": Text(actual),
            "took": Text(took_text(run), style=emphasis),
        }
        rows.append(AgendaRow(item.id, run.state, cells))
    return rows


def _title(run: ItemRun, style: str) -> Text:
    line = user_line(run.item.title, style)
    mark = ORIGIN_MARKS[run.origin]
    if not mark:
        return line
    # Cut at the end with an ellipsis, as the title alone is.
    title = Text(end=line.end, no_wrap=line.no_wrap, overflow=line.overflow)
    title.append(mark, style="bold")
    title.append_text(line)
    return title


def projection_key(state: RunState, zone: tzinfo) -> tuple[object, ...]:
    """What the agenda shows of each item, cheaply: it is redrawn only when this changes.

    Includes each item's projected start to the minute, so +5, -1, a replan, an insert, a
    drop or a move (and overtime pushing the items to come) show at once.
    """
    return tuple(
        (
            run.item,
            run.origin,
            run.state,
            run.actual_start,
            run.actual_end,
            run.budget,
            minutes_of(run.active),
            hhmm(run.projected_start, zone),
        )
        for run in state.items
    )


class AgendaTable(DataTable[Text]):
    """The running agenda: plan, actual times and how long each item took, one row per item.

    Display only: it never takes focus, so the run screen's keys (left, right, space) always
    reach the screen. The cursor marks the current item.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="none", zebra_stripes=True)
        self.can_focus = False
        self._rows: list[AgendaRow] = []
        self._columns: tuple[str, ...] = ()
        self._title_width = 0

    @property
    def rows_shown(self) -> Sequence[AgendaRow]:
        """The rows as last shown."""
        return self._rows

    def show(self, rows: list[AgendaRow]) -> None:
        """Show these rows, changing only the cells that differ from what is on screen."""
        old = self._rows
        self._rows = rows
        if not self._columns or [row.key for row in old] != [row.key for row in rows]:
            self._rebuild()
            return
        for index, (before, after) in enumerate(zip(old, rows, strict=True)):
            changed = False
            for column in self._columns:
                if before.cells[column] != after.cells[column]:
                    self._set_cell(after.key, column, after.cells[column])
                    changed = True
            if changed:
                self.refresh_row(index)
        self._place_cursor()

    def _set_cell(self, row: str, column: str, value: Text) -> None:
        # DataTable.update_cell repaints the whole table, which sends the terminal every row
        # each time one "took" cell ticks over a minute; this repaints only the changed row.
        # It is update_cell without its refresh() (Textual is pinned, so these stay put).
        self._data[RowKey(row)][ColumnKey(column)] = value
        self._update_count += 1

    def _layout_for(self, width: int) -> tuple[tuple[str, ...], int]:
        columns = next(columns for least, columns in LAYOUTS if width >= least)
        fixed = sum(COLUMNS[column][1] for column in columns)
        padding = 2 * self.cell_padding * len(columns)
        return columns, max(8, width - fixed - padding - 2)

    def _rebuild(self) -> None:
        self._columns, self._title_width = self._layout_for(self.size.width)
        self.clear(columns=True)
        for column in self._columns:
            heading, width = COLUMNS[column]
            label = Text(heading, justify="right") if column == "minutes" else Text(heading)
            self.add_column(label, width=width or self._title_width, key=column)
        for row in self._rows:
            self.add_row(*(row.cells[column] for column in self._columns), key=row.key)
        self._place_cursor()

    def _place_cursor(self) -> None:
        current = next((i for i, row in enumerate(self._rows) if row.state == "current"), None)
        if current is None:
            self.cursor_type = "none"
            return
        self.cursor_type = "row"
        if self.cursor_row != current:
            self.move_cursor(row=current, animate=False)

    def on_resize(self, event: Resize) -> None:
        if self._layout_for(event.size.width) != (self._columns, self._title_width):
            self._rebuild()


class NextUp(Static):
    """The item after the current one (or the first, before the start), on one line."""

    def show(self, state: RunState, zone: tzinfo) -> None:
        """Describe the next pending item, or say that this is the last."""
        text = self.line(state, zone)
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text, layout=False)  # one line of fixed height

    @staticmethod
    def line(state: RunState, zone: tzinfo) -> Text:
        """The line itself, for tests and the summary."""
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        if state.status == "finished":
            return text
        after = -1 if state.current is None else state.current
        # Before the start the first pending item is "up first", shown by the countdown; the
        # next line then names the one after it.
        pending = [run for run in state.items[after + 1 :] if run.state == "pending"]
        upcoming = pending[1:] if state.current is None else pending
        if not upcoming:
            text.append("Next: ", style="bold")
            text.append("nothing; this is the last item", style="dim")
            return text
        run = upcoming[0]
        text.append("Next: ", style="bold")
        text.append_text(user_line(run.item.title))
        text.append(" · ")
        text.append_text(kind_label(run.item.kind))
        text.append(f" · {minutes_of(run.budget)} min")
        if run.projected_start is not None:
            text.append(f" · at {hhmm(run.projected_start, zone)}")
        if run.item.at is not None:
            text.append(f" · fixed at {run.item.at:%H:%M}", style="bold")
        elif run.origin == "inserted":
            text.append(" · added", style="dim")
        elif hhmm(run.projected_start, zone) != hhmm(run.planned_start, zone):
            text.append(f" · planned {hhmm(run.planned_start, zone)}", style="dim")
        return text
