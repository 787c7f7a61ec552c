"""The plan editor: a session's fields and agenda items, edited by keyboard and saved as typed.

Opened by `sessiontui edit FILE`, and by `e` from home and the run screen. Each change goes
through `SaveStatus`, so a note-taker saving the same file meanwhile loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from sessiontui.display import safe_line, user_line
from sessiontui.tui.editing import EditingScreen
from sessiontui.tui.widgets.footer import SettledFooter


class PlanEditorScreen(EditingScreen):
    """Edit a session's plan: its fields and its items, with times and warnings as you type."""

    CSS_PATH = "plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", tooltip="Back, once saved", id="plan.leave"),
    ]

    def __init__(self, path: Path, clock: Callable[[], datetime]) -> None:
        super().__init__(path, clock)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Opening {safe_line(self.path.name)}…", id="plan-status", markup=False)
        yield self.saver
        yield SettledFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.title = safe_line(self.path.name)
        self.call_after_refresh(self._load)

    @on(EditingScreen.Failed)
    def _failed(self, message: EditingScreen.Failed) -> None:
        self.query_one("#plan-status", Static).update(
            user_line(f"Could not open {self.path.name}: " + "; ".join(message.problems))
        )
        hook = getattr(self.app, "session_load_failed", None)
        if callable(hook) and len(self.app.screen_stack) == 1:
            hook(list(message.problems))

    @on(EditingScreen.Loaded)
    def _loaded(self, message: EditingScreen.Loaded) -> None:
        self.session = message.session
        self.saver.open(self.path, message.session)
        self.title = safe_line(message.session.title)
        self.query_one("#plan-status", Static).update(
            user_line(f"{len(message.session.agenda)} items")
        )
