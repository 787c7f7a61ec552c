"""The agenda: a table of planned items, and the details of the highlighted one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from rich.text import Text
from textual import on
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable, Static

from sessiontui.display import user_line, user_text

if TYPE_CHECKING:
    from sessiontui.schedule import PlannedItem

KIND_LABELS: Final[dict[str, tuple[str, str]]] = {
    "plenary": ("Plenary", "bold cyan"),
    "presentation": ("Presentation", "bold magenta"),
    "pairing": ("Pairing", "bold green"),
    "breakout": ("Breakout", "bold green"),
    "break": ("Break", "dim"),
    "reflection": ("Reflection", "bold yellow"),
    "close": ("Close", "bold blue"),
}
"""Each item kind as a word (so the kind never rests on colour alone) and its accent."""


def kind_label(kind: str) -> Text:
    """The kind of an item as a styled word."""
    label, style = KIND_LABELS.get(kind, (kind.title(), ""))
    return user_line(label, style)


def clock_range(planned: PlannedItem) -> str:
    """The planned start and end as "13:00–13:20"."""
    return f"{planned.start:%H:%M}–{planned.end:%H:%M}"


class AgendaTable(DataTable[Text]):
    """The planned agenda, one row per item; the title column takes the width left over."""

    _FIXED_WIDTHS: Final = {"time": 11, "fixed": 5, "kind": 12, "minutes": 3}

    class ItemHighlighted(Message):
        """The cursor moved to another agenda item."""

        def __init__(self, table: AgendaTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> AgendaTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._plan: Sequence[PlannedItem] = ()
        self._title_width = 0

    def show(self, plan: Sequence[PlannedItem]) -> None:
        """Replace the rows with this plan, keeping the cursor where it was."""
        self._plan = plan
        self._rebuild()

    def _title_width_for(self, width: int) -> int:
        fixed = sum(self._FIXED_WIDTHS.values())
        padding = 2 * self.cell_padding * (len(self._FIXED_WIDTHS) + 1)
        return max(8, width - fixed - padding - 2)

    def _rebuild(self) -> None:
        row = self.cursor_row
        self._title_width = self._title_width_for(self.size.width)
        widths = self._FIXED_WIDTHS
        self.clear(columns=True)
        self.add_column("Time", width=widths["time"], key="time")
        self.add_column("Fixed", width=widths["fixed"], key="fixed")
        self.add_column("Kind", width=widths["kind"], key="kind")
        self.add_column("Title", width=self._title_width, key="title")
        self.add_column(Text("Min", justify="right"), width=widths["minutes"], key="minutes")
        for planned in self._plan:
            item = planned.item
            self.add_row(
                Text(clock_range(planned)),
                Text("fixed" if item.at is not None else "", style="bold"),
                kind_label(item.kind),
                user_line(item.title),
                Text(str(item.minutes), justify="right"),
                key=item.id,
            )
        if self._plan:
            self.move_cursor(row=min(max(row, 0), len(self._plan) - 1), animate=False)

    def on_mount(self) -> None:
        self._rebuild()

    def on_resize(self, event: Resize) -> None:
        if self._title_width_for(event.size.width) != self._title_width:
            self._rebuild()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.ItemHighlighted(self, event.cursor_row))


class ItemDetails(Static):
    """Everything about one agenda item a facilitator wants at hand: prompts and notes."""

    def show(self, planned: PlannedItem | None) -> None:
        """Show this item, or a hint when there is none."""
        if planned is None:
            self.update(Text("No agenda items yet.", style="dim"))
            return
        item = planned.item
        text = Text(end="")
        text.append_text(user_text(item.title, "bold"))
        facts = [clock_range(planned), f"{item.minutes} min"]
        if item.at is not None:
            facts.append(f"fixed at {item.at:%H:%M}")
        if item.group_size is not None:
            facts.append(f"groups of {item.group_size}")
        if item.turn_minutes is not None:
            facts.append(f"{item.turn_minutes} min turns")
        if item.notes_template is not None:
            facts.append(f"{item.notes_template} notes")
        if item.word_limit is not None:
            facts.append(f"up to {item.word_limit} words")
        text.append("\n")
        text.append_text(kind_label(item.kind))
        text.append(" · " + " · ".join(facts), style="dim")
        if item.prompts:
            text.append("\n\nPrompts", style="bold underline")
            for prompt in item.prompts:
                text.append("\n• ")
                text.append_text(user_text(prompt))
        if item.facilitator_notes.strip():
            text.append("\n\nFacilitator notes", style="bold underline")
            text.append("\n")
            text.append_text(user_text(item.facilitator_notes.strip("\n")))
        self.update(text)
