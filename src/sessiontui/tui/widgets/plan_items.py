"""The plan editor's item list: every item with its computed start and end, and the warnings.

`plan_rows` turns `schedule.planned` into each row's cells (pure, tested without a screen);
`PlanItemsTable` draws them line by line and redraws only the rows that changed, so a
keystroke in a duration field redraws the times that moved, not the whole table.
`PlanWarnings` lists `schedule.plan_issues`, each with a "!" (never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Final

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from sessiontui.core import item_kinds
from sessiontui.display import safe_line, user_line

if TYPE_CHECKING:
    from sessiontui.core.schedule import PlanIssue, PlannedItem

COLUMNS: Final = ("!", "Start", "End", "Min", "Fixed", "Kind", "Title")
"""The table's columns: a warning mark, the computed times, the plan, the item."""

Row = tuple[str, ...]


def plan_rows(planned: Sequence[PlannedItem], issues: Sequence[PlanIssue]) -> list[Row]:
    """Each item's cells: "!" when a warning names it, its times, minutes, fixed time, kind."""
    flagged = {issue.item_id for issue in issues}
    return [
        (
            "!" if entry.item.id in flagged else "",
            f"{entry.start:%H:%M}",
            f"{entry.end:%H:%M}",
            str(entry.item.minutes),
            "" if entry.item.at is None else f"{entry.item.at:%H:%M}",
            item_kinds.kind(entry.item.kind).label,
            # Drawn as a plain segment, never parsed as markup; safe_line takes out control
            # characters and line breaks a hand-edited title might hold.
            safe_line(entry.item.title),
        )
        for entry in planned
    ]


WIDTHS: Final = (1, 5, 5, 4, 5, 12)
"""Widths of every column but the title, which takes the rest of the line."""


def line_text(cells: Sequence[str], width: int) -> str:
    """One row's cells laid out in the columns, cut or padded to `width`."""
    fixed = " ".join(cell[:size].ljust(size) for cell, size in zip(cells, WIDTHS, strict=False))
    text = f" {fixed} {cells[len(WIDTHS)]}"
    return text[:width].ljust(width)


class PlanItemsTable(ScrollView, can_focus=True):
    """The agenda, one line per item; the cursor line is the item the form edits.

    Drawn line by line from plain cells (a `DataTable` renders every visible cell through
    Rich again when one changes: on a 60-item plan a key in the first item's minutes, which
    moves every later time, cost a tenth of a second). Each row's line is cached until its
    cells change, so a key redraws the rows whose times moved and copies the rest.
    """

    DEFAULT_CSS = """
    PlanItemsTable { height: 1fr; overflow-x: hidden; }
    PlanItemsTable > .plan-items--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    PlanItemsTable:blur > .plan-items--cursor {
        background: $block-cursor-blurred-background;
        text-style: none;
    }
    PlanItemsTable > .plan-items--warning { color: $warning; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"plan-items--cursor", "plan-items--warning"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", "Edit", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, init=False)
    """The index of the highlighted item."""

    class Highlighted(Message):
        """The cursor moved to another item."""

    class Selected(Message):
        """Enter on an item: edit it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []
        self._ids: list[str] = []
        self._lines: dict[tuple[int, int, bool], Strip] = {}
        self._styles: dict[str, Style] = {}
        """The line styles, worked out once per style change rather than once per line."""

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row_cells(self, index: int) -> tuple[str, ...]:
        """The plain text of one row's cells, for tests and the screen."""
        return tuple(str(cell) for cell in self._rows[index])

    def show(self, ids: Sequence[str], rows: Sequence[Row], cursor: int | None = None) -> None:
        """Show these rows; lines whose cells did not change are not drawn again."""
        old = self._rows
        self._rows, self._ids = list(rows), list(ids)
        if len(rows) != len(old):
            self.virtual_size = Size(self.size.width, len(rows))
        for index, (was, now) in enumerate(zip(old, rows, strict=False)):
            if was != now:
                self._forget(index)
        for index in range(min(len(old), len(rows)), max(len(old), len(rows))):
            self._forget(index)
        self.refresh()
        if cursor is not None:
            self.move_cursor(row=cursor)
        elif self.cursor_row >= len(rows):
            self.move_cursor(row=len(rows) - 1)

    def _forget(self, index: int) -> None:
        for key in [key for key in self._lines if key[0] == index]:
            del self._lines[key]

    def move_cursor(self, *, row: int) -> None:
        """Put the cursor on this row (clamped) and scroll it into view."""
        self.cursor_row = max(0, min(row, len(self._rows) - 1))
        self.scroll_to_region(Region(0, self.cursor_row, 1, 1), animate=False, immediate=True)

    def watch_cursor_row(self, before: int, after: int) -> None:
        self._forget(before)
        self._forget(after)
        self.refresh()
        self.post_message(self.Highlighted())

    def action_cursor(self, by: int) -> None:
        self.move_cursor(row=self.cursor_row + by)

    def action_page(self, by: int) -> None:
        self.move_cursor(row=self.cursor_row + by * max(1, self.size.height - 1))

    def action_jump(self, row: int) -> None:
        self.move_cursor(row=row if row >= 0 else len(self._rows) - 1)

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.Selected())

    def on_click(self, event: Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self._rows):
            self.move_cursor(row=row)

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))

    def on_focus(self) -> None:
        # The cursor's colour depends on the focus (its :blur rule).
        self._styles.clear()
        self._forget(self.cursor_row)
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.size.width
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        key = (index, width, self.has_focus)
        line = self._lines.get(key)
        if line is None:
            line = self._draw(index, width)
            self._lines[key] = line
        return line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.rich_style
            if name:
                style += self.get_component_rich_style(name)
            self._styles[name] = style
        return style

    def _draw(self, index: int, width: int) -> Strip:
        cells = self.row_cells(index)
        if index == self.cursor_row:
            style = self._style("plan-items--cursor")
        else:
            style = self._style("plan-items--warning" if cells[0] else "")
        return Strip([Segment(line_text(cells, width), style)]).adjust_cell_length(width, style)


class PlanItemsHeader(Static):
    """The column names above the item list, laid out as its rows are."""

    DEFAULT_CSS = """
    PlanItemsHeader { height: 1; text-style: bold; color: $text-muted; }
    """

    def render(self) -> str:
        return line_text(COLUMNS, self.size.width)


class PlanWarnings(Static):
    """The plan's problems as sentences, or a line saying it fits."""

    DEFAULT_CSS = """
    PlanWarnings { height: auto; max-height: 5; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: tuple[tuple[str, ...], int] | None = None

    def show(self, issues: Sequence[PlanIssue], items: int) -> None:
        """List the warnings; redraw only when they changed."""
        messages = tuple(issue.message for issue in issues)
        if (messages, items) == self._shown:
            return
        self._shown = (messages, items)
        self.set_class(bool(messages), "-warnings")
        if not messages:
            count = f"{items} item" if items == 1 else f"{items} items"
            self.update(user_line(f"The plan fits: {count}." if items else "No items yet."))
            return
        text = Text()
        for number, message in enumerate(messages):
            if number:
                text.append("\n")
            text.append("! ", style="bold")
            text.append_text(user_line(message))
        self.update(text)


class PlanStatus(Static):
    """One line: saved as typed, or which fields hold the save back, or what an action did."""

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(text, id=id, markup=False)
        self._shown = text

    def show(self, invalid: Sequence[str], note: str | None = None) -> None:
        """Say which fields do not check, else the note, else that edits are saved as typed."""
        if invalid:
            shown = (
                f"Not saved: fix {', '.join(invalid)} (marked ⚠); the rest is saved as you type."
            )
        else:
            shown = note or "Saved as you type. Ctrl+z undoes, ctrl+y redoes."
        if shown == self._shown:
            return  # each update lays the screen out again: not on every key
        self._shown = shown
        self.update(user_line(shown))
        self.set_class(bool(invalid), "-invalid")
