"""Small dialogs over the run screen for changing the agenda live: add an item, set a length.

Each is dismissed with what was typed, already checked (a title, whole minutes from 1 to a
day), or None on Escape, so the run screen logs an event only when the facilitator meant one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from sessiontui.core import item_kinds
from sessiontui.display import user_line
from sessiontui.tui.dialogs.fast_focus import fast_focus_keys

MAX_MINUTES: Final = 24 * 60
"""The longest item the file format takes."""


@dataclass(frozen=True, slots=True)
class NewItem:
    """What the facilitator typed for an item added while running."""

    title: str
    kind: str
    minutes: int
    after: str | None
    """The id of the item it goes after; None: right after the current one."""


def _hint(*parts: tuple[str, str]) -> Static:
    hint = Text(end="")
    for index, (key, what) in enumerate(parts):
        if index:
            hint.append(" · ")
        hint.append(key, style="bold")
        hint.append(f": {what}")
    return Static(hint, classes="hint", markup=False)


def parse_minutes(text: str) -> int | None:
    """Whole minutes from 1 to a day, or None when the text is not that."""
    text = text.strip()
    if not text.isdigit():
        return None
    minutes = int(text)
    return minutes if 1 <= minutes <= MAX_MINUTES else None


class InsertItemScreen(ModalScreen[NewItem | None]):
    """Asks for the new item's title, kind, minutes and place; Enter adds it, Escape cancels."""

    CSS_PATH = "agenda_change.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="insert.cancel"),
        *fast_focus_keys("insert"),
    ]

    def __init__(self, places: Sequence[tuple[str, str | None]], default: str | None) -> None:
        """`places`: (label, id to go after) for every place the item can go; first is default."""
        super().__init__()
        self.places = list(places)
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Add an item to the agenda", style="bold"), id="heading")
            yield Label("Title")
            yield Input(placeholder="e.g. Energiser", max_length=200, id="title", compact=True)
            yield Label("Kind")
            yield Select(
                [(item_kinds.kind(name).label, name) for name in item_kinds.names()],
                value=item_kinds.names()[0],
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Label("Minutes")
            yield Input(value="10", type="integer", max_length=4, id="minutes", compact=True)
            yield Label("Where")
            yield Select(
                [(user_line(label), index) for index, (label, _) in enumerate(self.places)],
                value=0,
                allow_blank=False,
                id="where",
                compact=True,
            )
            yield Static("", id="problem", markup=False)
            yield _hint(("Enter", "add it"), ("Tab", "next field"), ("Esc", "cancel"))

    def on_mount(self) -> None:
        # set_focus, not focus(): now, so the first keys typed land in the title.
        self.set_focus(self.query_one("#title", Input))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        title = self.query_one("#title", Input).value.strip()
        minutes = parse_minutes(self.query_one("#minutes", Input).value)
        problem = self.query_one("#problem", Static)
        if not title:
            problem.update("Give the item a title.")
            self.query_one("#title", Input).focus()
            return
        if minutes is None:
            problem.update(f"Minutes: a whole number from 1 to {MAX_MINUTES}.")
            self.query_one("#minutes", Input).focus()
            return
        kind = self.query_one("#kind", Select).value
        where = self.query_one("#where", Select).value
        place = where if isinstance(where, int) else 0
        self.dismiss(NewItem(title, str(kind), minutes, self.places[place][1]))

    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)


class MinutesScreen(ModalScreen[int | None]):
    """Asks for an item's new length in minutes; Enter sets it, Escape cancels."""

    CSS_PATH = "agenda_change.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="minutes.cancel"),
    ]

    def __init__(self, title: str, minutes: int) -> None:
        super().__init__()
        self.item_title = title
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            heading = Text("New length of ", style="bold", end="")
            heading.append_text(user_line(self.item_title, "bold"))
            yield Static(heading, id="heading", markup=False)
            yield Input(
                value=str(self.minutes), type="integer", max_length=4, id="minutes", compact=True
            )
            yield Static("", id="problem", markup=False)
            yield _hint(("Enter", "set it (minutes)"), ("Esc", "cancel"))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        minutes = parse_minutes(event.value)
        if minutes is None:
            self.query_one("#problem", Static).update(
                f"A whole number of minutes from 1 to {MAX_MINUTES}."
            )
            return
        self.dismiss(minutes)

    def action_cancel(self) -> None:
        """Close without changing the length."""
        self.dismiss(None)
