"""The home screen's list of session files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Final

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import Row, RowKey

from sessiontui.display import user_line

if TYPE_CHECKING:
    from sessiontui.core.library import Summary


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One file of the folder as the list shows it; `error` is set when it could not be read."""

    path: Path
    date: date | None = None
    title: str = ""
    series: str = ""
    state: str = ""
    notes: int = 0
    actions: int = 0
    error: str | None = None
    exact: bool = True
    """False while the row is a guess from the file's header; shown dimmed until the full read."""

    @classmethod
    def of(cls, summary: Summary) -> SessionRow:
        """The row of a library summary."""
        return cls(
            summary.path,
            date=summary.date,
            title=summary.title,
            series=summary.series,
            state=summary.state,
            notes=summary.notes,
            actions=summary.actions,
            error=summary.error,
            exact=summary.exact,
        )


class SessionTable(DataTable[Text]):
    """Sessions newest first; files that failed to load show their error in the title column."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="home.open_row"),
    ]

    _FIXED_WIDTHS: Final = {"date": 10, "state": 8, "notes": 5, "actions": 11}

    class Chosen(Message):
        """A session was chosen (Enter or click on its row)."""

        def __init__(self, table: SessionTable, row: SessionRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> SessionTable:
            return self.table

    class Highlighted(Message):
        """The cursor moved to another session."""

        def __init__(self, table: SessionTable, row: SessionRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> SessionTable:
            return self.table

    def __init__(
        self, *, open_label: str = "Open", id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        # The footer says what Enter opens (run, notes, present or review) on this list.
        for key, found in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(binding, description=open_label)
                if binding.id == "home.open_row"
                else binding
                for binding in found
            ]
        self._rows: Sequence[SessionRow] = ()
        self._widths = (0, 0)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Every column has a fixed width, so DataTable's measuring of each cell of new rows
        # (160 ms for a thousand) buys nothing; rows of auto height (broken files) still need
        # it for their height.
        rows = self.rows
        super()._update_dimensions(
            [key for key in new_rows if (row := rows.get(key)) is not None and row.auto_height]
        )

    @property
    def highlighted(self) -> SessionRow | None:
        """The session under the cursor."""
        if not self._rows:
            return None
        return self._rows[min(max(self.cursor_row, 0), len(self._rows) - 1)]

    def show(self, rows: Sequence[SessionRow], *, select: Path | None = None) -> None:
        """Replace the list, keeping the cursor on the same file (or on `select`) when listed."""
        current = self.highlighted.path if self.highlighted else None
        keep = select or current
        old, self._rows = self._rows, rows
        same_files = [row.path for row in old] == [row.path for row in rows]
        if same_files and self.columns and keep == current:
            # The full read after the header read: only changed cells are redrawn, and the
            # cursor and scroll position stay exactly where they were.
            self._update_changed(old, rows)
            return
        self._rebuild(keep)

    def _update_changed(self, old: Sequence[SessionRow], rows: Sequence[SessionRow]) -> None:
        keys = ("date", "title", "series", "state", "notes", "actions")
        for index, (before, after) in enumerate(zip(old, rows, strict=True)):
            if before == after:
                continue
            if before.error is not None or after.error is not None:
                # A broken row is taller; only a rebuild changes a row's height.
                current = self.highlighted
                self._rebuild(current.path if current else None)
                return
            for key, cell in zip(keys, self._cells(after), strict=True):
                self.update_cell(str(index), key, cell)

    def _widths_for(self, width: int) -> tuple[int, int]:
        fixed = sum(self._FIXED_WIDTHS.values())
        padding = 2 * self.cell_padding * (len(self._FIXED_WIDTHS) + 2)
        spare = max(16, width - fixed - padding - 2)
        series = spare // 3
        return spare - series, series

    def _rebuild(self, keep: Path | None) -> None:
        self._widths = title_width, series_width = self._widths_for(self.size.width)
        widths = self._FIXED_WIDTHS
        self.clear(columns=True)
        self.add_column("Date", width=widths["date"], key="date")
        self.add_column("Title", width=title_width, key="title")
        self.add_column("Series", width=series_width, key="series")
        self.add_column("State", width=widths["state"], key="state")
        self.add_column(Text("Notes", justify="right"), width=widths["notes"], key="notes")
        self.add_column(
            Text("Commitments", justify="right"), width=widths["actions"], key="actions"
        )
        cursor = 0
        for index, row in enumerate(self._rows):
            if row.path == keep:
                cursor = index
        self._add_rows(self._rows)
        if self._rows:
            self.move_cursor(row=cursor, animate=False)

    def _add_rows(self, rows: Sequence[SessionRow]) -> None:
        """DataTable.add_row for every row of an empty table, without its cost per row.

        Textual 8.2.8's add_row reassigns the cursor (a reactive, with its validation and
        watchers) on every row: 60% of listing a thousand sessions. This does what add_row
        does for a new table, reassigning the cursor once; textual is pinned to that version.
        """
        columns = self.ordered_columns
        for index, row in enumerate(rows):
            key = RowKey(str(index))
            self._row_locations[key] = index
            self._data[key] = {
                column.key: cell for column, cell in zip(columns, self._cells(row), strict=True)
            }
            # A broken file's row grows to show its whole problem line (auto height).
            auto = row.error is not None
            self.rows[key] = Row(key, 0 if auto else 1, None, auto)
            self._new_rows.add(key)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if rows and self.show_cursor:
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    @staticmethod
    def _cells(row: SessionRow) -> tuple[Text, ...]:
        if row.error is not None:
            # Problem lines start with the file's path; the row shows just its name.
            where, error = str(row.path), row.error
            rest = error[len(where) :] if error.startswith(f"{where}:") else f": {error}"
            title = Text(end="")
            title.append_text(user_line(row.path.name, "bold"))
            title.append_text(user_line(rest))
            return (
                Text("—", style="dim"),
                Text.assemble(title, style="red"),
                Text(""),
                Text("error", style="bold red"),
                Text(""),
                Text(""),
            )
        # A row guessed from the file's header is dimmed until the full read confirms it.
        guess = "" if row.exact else "dim"
        return (
            Text(row.date.isoformat() if row.date else "", style=guess),
            user_line(row.title, guess),
            user_line(row.series, "dim"),
            Text(row.state if row.exact else f"{row.state}…", style=guess),
            Text(str(row.notes), justify="right", style=guess),
            Text(str(row.actions), justify="right", style=guess),
        )

    def on_mount(self) -> None:
        self._rebuild(None)

    def on_resize(self, event: Resize) -> None:
        if self._widths_for(event.size.width) != self._widths:
            current = self.highlighted
            self._rebuild(current.path if current else None)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self, self.highlighted))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if (row := self.highlighted) is not None:
            self.post_message(self.Chosen(self, row))
