"""A small dialog over the run screen to type the message every shared screen shows.

Dismissed with the text typed (Enter; empty to clear the message) or None (Escape), so the
run screen records a broadcast event only when the facilitator meant one.
"""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from sessiontui.display import user_line

MAX_LENGTH: Final = 200
"""Longer than this no longer reads from the back of a room."""


class BroadcastScreen(ModalScreen[str | None]):
    """Asks for the message; Enter sends it (empty clears it), Escape cancels."""

    DEFAULT_CSS: ClassVar[str] = """
    BroadcastScreen {
        align: center middle;
    }

    BroadcastScreen #dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }

    BroadcastScreen #current {
        margin-bottom: 1;
        color: $text-muted;
    }

    BroadcastScreen #hint {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="broadcast.cancel"),
    ]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Tell the room (on every shared screen)", style="bold"), id="heading")
            shown = Text("Showing now: ", end="")
            if self.current:
                shown.append_text(user_line(self.current, "bold"))
            else:
                shown.append("nothing", style="italic")
            yield Static(shown, id="current", markup=False)
            yield Input(
                placeholder="e.g. 2 minutes left, start wrapping up",
                max_length=MAX_LENGTH,
                id="message",
            )
            hint = Text(end="")
            hint.append("Enter", style="bold")
            hint.append(": show it (empty: clear it) · ")
            hint.append("Esc", style="bold")
            hint.append(": cancel")
            yield Static(hint, id="hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without changing the message."""
        self.dismiss(None)
