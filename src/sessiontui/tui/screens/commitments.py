"""Commitments: "one practical thing you're going to do", one line per person, into `[[actions]]`.

A form (who, what, an optional due date) and the list so far. Each commitment is saved as soon
as it is added, merged with other screens' saves like everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Header, Input, Select, Static

from sessiontui.display import safe_line, user_line
from sessiontui.tui.editing import EditingScreen
from sessiontui.tui.widgets.footer import SettledFooter
from sessiontui.tui.widgets.saving import SaveStatus

if TYPE_CHECKING:
    pass


class CommitmentsScreen(EditingScreen):
    """The participants' commitments: add one per person, see them all, remove a mistake."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "add", "Add", tooltip="Add this commitment", id="commitments.add"),
        Binding(
            "delete",
            "remove",
            "Remove",
            tooltip="Remove the highlighted commitment",
            id="commitments.remove",
        ),
        Binding("escape", "leave", "Back", tooltip="Back, once saved", id="commitments.leave"),
        # Priority, so a quick "Tab, words" types the words into the next field.
        Binding("tab", "app.focus_next", show=False, priority=True, id="commitments.next"),
        Binding(
            "shift+tab", "app.focus_previous", show=False, priority=True, id="commitments.prev"
        ),
    ]

    def __init__(
        self, path: Path, clock: Callable[[], datetime], *, item: str | None = None
    ) -> None:
        super().__init__(path, clock)
        self.item_id = item

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text("One practical thing you're going to do", style="bold"), id="ask", markup=False
        )
        with Horizontal(id="form"):
            yield Select[str]([], prompt="Who", id="who", compact=True)
            yield Input(placeholder="What they will do", id="what", compact=True)
            yield Input(placeholder="due YYYY-MM-DD", id="due", compact=True)
            yield Button("Add", id="add", compact=True)
        yield Static(id="form-problem", markup=False)
        yield self.saver
        yield DataTable[Text](id="actions", cursor_type="row", zebra_stripes=True)
        yield SettledFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = "Commitments"
        self.query_one("#form-problem").display = False
        table = self.query_one("#actions", DataTable)
        for heading in ("Who", "What", "Due", "Status"):
            table.add_column(heading, key=heading.lower())
        self._load()

    @on(EditingScreen.Failed)
    def _failed(self, message: EditingScreen.Failed) -> None:
        self._problem(self.failure_line(message))

    @on(EditingScreen.Loaded)
    def _loaded(self, message: EditingScreen.Loaded) -> None:
        self.session = message.session
        self.sub_title = safe_line(message.session.title)
        self.saver.open(self.path, message.session)
        names = [p.name for p in message.session.participants if not p.absent]
        self.query_one("#who", Select).set_options([(user_line(n), n) for n in names])
        self._show_actions()
        self.query_one("#who", Select).focus()

    def _show_actions(self) -> None:
        table = self.query_one("#actions", DataTable)
        table.clear()
        session = self.session
        if session is None:
            return
        for action in session.actions:
            table.add_row(
                user_line(action.who),
                user_line(action.what),
                Text(action.due.isoformat() if action.due else ""),
                Text(action.status),
            )

    def _problem(self, text: str | None) -> None:
        widget = self.query_one("#form-problem", Static)
        widget.display = text is not None
        if text is not None:
            widget.update(user_line(text))

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        """Add the commitment in the form, and save it."""
        from sessiontui.core import notes

        session = self.session
        if session is None:
            return
        who = self.query_one("#who", Select).value
        what = self.query_one("#what", Input)
        due = self.query_one("#due", Input)
        try:
            when = notes.parse_due(due.value)
            updated = notes.with_action(
                session, who if isinstance(who, str) else "", what.value, when, self.item_id
            )
        except ValueError as error:
            self._problem(str(error))
            return
        self._problem(None)
        self.session = updated
        self.saver.submit(updated)
        self._show_actions()
        what.value = due.value = ""
        self.query_one("#who", Select).focus()

    def action_remove(self) -> None:
        """Remove the highlighted commitment (a mistake), and save."""
        from sessiontui.core import notes

        table = self.query_one("#actions", DataTable)
        if self.session is None or not self.session.actions or not table.has_focus:
            return
        self.session = notes.without_action(self.session, table.cursor_row)
        self.saver.submit(self.session)
        self._show_actions()

    @on(SaveStatus.Merged)
    def _merged(self, message: SaveStatus.Merged) -> None:
        self.session = message.session
        self._show_actions()
