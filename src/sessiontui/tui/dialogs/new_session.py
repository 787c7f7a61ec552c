"""A small dialog over the home screen: which session to create from the highlighted one.

Offers the source's `[[upcoming]]` entries (date and title) and a copy with a date and title
typed in; dismissed with (date, title) or None, and the home screen creates the file exactly
as `sessiontui new --from` does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from sessiontui.display import user_line

if TYPE_CHECKING:
    from sessiontui.core.model import Session

COPY = "copy"
"""The option id of "a copy, with a date and title of your choosing"."""


class NewSessionScreen(ModalScreen[tuple[dt.date, str] | None]):
    """Asks which session to create: an upcoming one of the series, or a copy."""

    DEFAULT_CSS: ClassVar[str] = """
    NewSessionScreen {
        align: center middle;
    }

    NewSessionScreen #dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: thick $primary;
        background: $surface;
    }

    NewSessionScreen #choices {
        height: auto;
        max-height: 12;
        margin-top: 1;
    }

    NewSessionScreen #copy-fields {
        height: auto;
        display: none;
    }

    NewSessionScreen.-copy #copy-fields {
        display: block;
    }

    NewSessionScreen.-copy #choices {
        display: none;
    }

    NewSessionScreen #problem {
        color: $error;
        height: auto;
    }

    NewSessionScreen #hint {
        margin-top: 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_session.cancel"),
    ]

    def __init__(self, source: Session, *, today: dt.date) -> None:
        super().__init__()
        self.source = source
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            heading = Text("New session from ", style="bold", end="")
            heading.append_text(user_line(self.source.title, "bold"))
            yield Static(heading, id="heading", markup=False)
            options = [
                Option(self._entry_label(entry.date, entry.title), id=str(index))
                for index, entry in enumerate(self.source.upcoming)
            ]
            options.append(Option(Text("A copy (choose date and title)", style="italic"), COPY))
            yield OptionList(*options, id="choices")
            with Vertical(id="copy-fields"):
                yield Static(Text("Date (YYYY-MM-DD)"), markup=False)
                yield Input(self.today.isoformat(), id="date")
                yield Static(Text("Title"), markup=False)
                yield Input(self.source.title, id="title")
                yield Static("", id="problem", markup=False)
            hint = Text(end="")
            hint.append("Enter", style="bold")
            hint.append(": create it (never over an existing file) · ")
            hint.append("Esc", style="bold")
            hint.append(": cancel")
            yield Static(hint, id="hint", markup=False)

    @staticmethod
    def _entry_label(date: dt.date, title: str) -> Text:
        label = Text(f"{date.isoformat()}  ", end="")
        label.append_text(user_line(title))
        return label

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == COPY:
            self.add_class("-copy")
            self.query_one("#date", Input).focus()
            return
        entry = self.source.upcoming[int(event.option_id or 0)]
        self.dismiss((entry.date, entry.title))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "date":
            self.query_one("#title", Input).focus()
            return
        text = self.query_one("#date", Input).value.strip()
        title = self.query_one("#title", Input).value.strip()
        problem = self.query_one("#problem", Static)
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            problem.update(user_line(f"Not a date in the form YYYY-MM-DD: {text!r}"))
            self.query_one("#date", Input).focus()
            return
        if not title:
            problem.update(Text("The title cannot be empty"))
            return
        self.dismiss((date, title))

    def action_cancel(self) -> None:
        """Close without creating anything."""
        self.dismiss(None)
