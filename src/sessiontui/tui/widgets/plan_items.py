"""The plan editor's item list: every item with its computed start and end, and the warnings.

`plan_rows` turns `schedule.planned` into each row's cells (pure, tested without a screen);
`PlanItemsTable` shows them and touches only the cells that changed, so a keystroke in a
duration field redraws the times that moved, not the whole table. `PlanWarnings` lists
`schedule.plan_issues`, each with a "!" so a warning never rests on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowKey

from sessiontui.core import item_kinds
from sessiontui.display import user_line

if TYPE_CHECKING:
    from sessiontui.core.schedule import PlanIssue, PlannedItem

COLUMNS: Final = ("!", "Start", "End", "Min", "Fixed", "Kind", "Title")
"""The table's columns: a warning mark, the computed times, the plan, the item."""

Row = tuple[str | Text, ...]


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
            user_line(entry.item.title),
        )
        for entry in planned
    ]


class PlanItemsTable(DataTable[str | Text]):
    """The agenda, one row per item; the cursor row is the item the form edits."""

    DEFAULT_CSS = """
    PlanItemsTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._shown: list[Row] = []
        self._ids: list[str] = []

    def on_mount(self) -> None:
        for label in COLUMNS:
            self.add_column(label, key=label)

    def show(self, ids: Sequence[str], rows: Sequence[Row], cursor: int | None = None) -> None:
        """Show these rows; only changed cells are redrawn when the items are the same ones."""
        if list(ids) != self._ids:
            row = self.cursor_row if cursor is None else cursor
            self.clear()
            for item_id, cells in zip(ids, rows, strict=True):
                self.add_row(*cells, key=item_id)
            self._ids, self._shown = list(ids), list(rows)
            if rows:
                self.move_cursor(row=max(0, min(row, len(rows) - 1)), animate=False)
            return
        for index, (old, new) in enumerate(zip(self._shown, rows, strict=True)):
            if old == new:
                continue
            for column in range(len(COLUMNS)):
                if old[column] != new[column]:
                    self.update_cell(RowKey(ids[index]), COLUMNS[column], new[column])
        self._shown = list(rows)
        if cursor is not None and rows:
            self.move_cursor(row=cursor, animate=False)


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
